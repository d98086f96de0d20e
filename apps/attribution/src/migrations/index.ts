import { PlatformTables1763856000000, RequestLedger1764000000000 } from '@o2o/platform';

/** Every migration of the attribution schema, oldest first. */
export const attributionMigrations = [PlatformTables1763856000000, RequestLedger1764000000000];
