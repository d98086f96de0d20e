import { PlatformTables1763856000000, RequestLedger1764000000000 } from '@o2o/platform';

/** Every migration of the leads schema, oldest first. */
export const leadsMigrations = [PlatformTables1763856000000, RequestLedger1764000000000];
