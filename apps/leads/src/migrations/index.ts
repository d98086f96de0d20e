import { PlatformTables1763856000000 } from './1763856000000-platform-tables';

/** Every migration of the leads schema, oldest first. */
export const leadsMigrations = [PlatformTables1763856000000];
