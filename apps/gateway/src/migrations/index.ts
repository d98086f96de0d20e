import { GatewayTables1763856000000 } from './1763856000000-gateway-tables';
import { IdempotencyUnknownOutcome1764000000000 } from './1764000000000-idempotency-unknown-outcome';
import { StaffLogins1795420000000 } from './1795420000000-staff-logins';

/** Every migration of the gateway schema, oldest first. */
export const gatewayMigrations = [GatewayTables1763856000000, IdempotencyUnknownOutcome1764000000000, StaffLogins1795420000000];
