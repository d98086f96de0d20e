import { PlatformTables1763856000000, RequestLedger1764000000000 } from '@o2o/platform';

/** Every migration of the booking schema, oldest first. */
export const bookingMigrations = [PlatformTables1763856000000, RequestLedger1764000000000];
