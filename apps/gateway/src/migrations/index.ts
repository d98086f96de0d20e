import { GatewayTables1763856000000 } from './1763856000000-gateway-tables';
import { IdempotencyUnknownOutcome1764000000000 } from './1764000000000-idempotency-unknown-outcome';

/** Every migration of the gateway schema, oldest first. */
export const gatewayMigrations = [GatewayTables1763856000000, IdempotencyUnknownOutcome1764000000000];
