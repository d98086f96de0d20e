import { PlatformTables1763856000000 } from './1763856000000-platform-tables';

/** Every migration of the catalog schema, oldest first. */
export const catalogMigrations = [PlatformTables1763856000000];
