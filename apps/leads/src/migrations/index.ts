import { PlatformTables1763856000000, RequestLedger1764000000000 } from '@o2o/platform';
import { Leads1795418350801 } from './1795418350801-leads';

/** Every migration of the leads schema, oldest first. */
export const leadsMigrations = [PlatformTables1763856000000, RequestLedger1764000000000, Leads1795418350801];
