/** Injection tokens for what the service kit provides. */
export const CONFIG = Symbol('O2O_CONFIG');
export const LOGGER = Symbol('O2O_LOGGER');
export const REDIS = Symbol('O2O_REDIS');
export const SERVICE_NAME = Symbol('O2O_SERVICE_NAME');
export const CLOCK = Symbol('O2O_CLOCK');
