import type { Actor } from '@o2o/contracts';
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestContext {
  correlationId: string;
  /** Who the request is for, as the gateway established it; forwarded on calls to other services. */
  actor?: Actor;
  /** Epoch ms after which the caller has given up. */
  deadline?: number;
}

/** Carries the request's correlation id, actor and deadline through every await of one request. */
export const requestContext = new AsyncLocalStorage<RequestContext>();

export const currentCorrelationId = (): string | undefined => requestContext.getStore()?.correlationId;
