/** Injection tokens local to the gateway. */
export const LIVENESS_REDIS = Symbol('LIVENESS_REDIS');
