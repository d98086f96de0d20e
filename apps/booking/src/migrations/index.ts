import { PlatformTables1763856000000 } from './1763856000000-platform-tables';

/** Every migration of the booking schema, oldest first. */
export const bookingMigrations = [PlatformTables1763856000000];
