import { PlatformTables1763856000000, RequestLedger1764000000000 } from '@o2o/platform';
import { Funnel1795800000000 } from './1795800000000-funnel';
import { Commissions1795800000100 } from './1795800000100-commissions';

/** Every migration of the attribution schema, oldest first. */
export const attributionMigrations = [PlatformTables1763856000000, RequestLedger1764000000000, Funnel1795800000000, Commissions1795800000100];
