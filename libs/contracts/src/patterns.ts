import { ServiceName } from './services';

/**
 * Message patterns. Each is namespaced by the service that answers it, so that a pattern is
 * handled by exactly one service on a shared broker.
 */
export const healthPattern = (service: ServiceName): string => `${service}.health`;
