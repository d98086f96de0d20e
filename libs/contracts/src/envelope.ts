import { Role } from './enums';

/** Who is asking, as established by the gateway. Services scope their data by it. */
export type Actor =
  | { kind: 'anonymous' }
  | { kind: 'staff'; userId: string; roles: Role[]; staffId?: string; storeId?: string }
  | { kind: 'partner'; keyId: string; brandId: string };

export interface RpcMeta {
  correlationId: string;
  actor: Actor;
}

/** Every request to a service travels as { meta, data }. */
export interface RpcRequest<T = unknown> {
  meta: RpcMeta;
  data: T;
}

export const ANONYMOUS: Actor = { kind: 'anonymous' };
