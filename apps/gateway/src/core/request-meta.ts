import { ANONYMOUS, Actor, RpcMeta } from '@o2o/contracts';
import type { FastifyRequest } from 'fastify';
import { createHash, randomUUID } from 'node:crypto';

export type GatewayRequest = FastifyRequest & {
  actor?: Actor;
  /** Set for a request with an Idempotency-Key: its caller's scope and key, hashed. */
  idempotentRequest?: string;
  /** Service calls made for this request so far, per pattern. */
  callCount?: Map<string, number>;
};

/**
 * What travels with every service call: the correlation id, who is asking, and the request id.
 * Under an Idempotency-Key the request id is derived from the caller's scope, the key, the
 * pattern and the call's place in the request, so the client's retry names the same change and
 * the service answers what it committed. Without a key every call is a request of its own.
 */
export function rpcMeta(req: GatewayRequest, pattern: string): RpcMeta {
  let requestId: string;
  if (req.idempotentRequest) {
    req.callCount ??= new Map();
    const n = (req.callCount.get(pattern) ?? 0) + 1;
    req.callCount.set(pattern, n);
    requestId = createHash('sha256').update(`${req.idempotentRequest}\n${pattern}\n${n}`).digest('hex');
  } else {
    requestId = randomUUID();
  }
  return { correlationId: String(req.id), actor: req.actor ?? ANONYMOUS, requestId };
}
