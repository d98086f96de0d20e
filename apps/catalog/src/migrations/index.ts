import { PlatformTables1763856000000, RequestLedger1764000000000 } from '@o2o/platform';
import { CatalogTables1763860000000 } from './1763860000000-catalog-tables';

/** Every migration of the catalog schema, oldest first. */
export const catalogMigrations = [PlatformTables1763856000000, CatalogTables1763860000000, RequestLedger1764000000000];
