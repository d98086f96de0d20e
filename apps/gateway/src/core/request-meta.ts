import { ANONYMOUS, Actor, RpcMeta } from '@o2o/contracts';
import type { FastifyRequest } from 'fastify';

export type GatewayRequest = FastifyRequest & { actor?: Actor };

/** What travels with every service call: the correlation id and who is asking. */
export function rpcMeta(req: GatewayRequest): RpcMeta {
  return { correlationId: String(req.id), actor: req.actor ?? ANONYMOUS };
}
