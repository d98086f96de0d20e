import { Role } from './enums';

/** Who is asking, as established by the gateway. Services scope their data by it. */
export type Actor =
  | { kind: 'anonymous' }
  | { kind: 'staff'; userId: string; roles: Role[]; staffId?: string; storeId?: string }
  | { kind: 'partner'; keyId: string; brandId: string };

export interface RpcMeta {
  correlationId: string;
  actor: Actor;
  /**
   * Names one change of state: a second delivery with the same id answers what the first one
   * committed. The gateway derives it from the caller and its Idempotency-Key; a service calling
   * another derives it from its own durable id (a deal id, say).
   */
  requestId?: string;
  /** Epoch ms after which the caller has given up; nobody downstream works past it. */
  deadline?: number;
}

/** Every request to a service travels as { meta, data }. */
export interface RpcRequest<T = unknown> {
  meta: RpcMeta;
  data: T;
}

export const ANONYMOUS: Actor = { kind: 'anonymous' };
