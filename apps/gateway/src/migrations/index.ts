import { GatewayTables1763856000000 } from './1763856000000-gateway-tables';

/** Every migration of the gateway schema, oldest first. */
export const gatewayMigrations = [GatewayTables1763856000000];
