import { PlatformTables1763856000000 } from './1763856000000-platform-tables';

/** Every migration of the attribution schema, oldest first. */
export const attributionMigrations = [PlatformTables1763856000000];
