import { PlatformTables1763856000000, RequestLedger1764000000000 } from '@o2o/platform';
import { __Domain____timestamp__ } from './__timestamp__-__domain__';

/** Every migration of the __service__ schema, oldest first. */
export const __service__Migrations = [PlatformTables1763856000000, RequestLedger1764000000000, __Domain____timestamp__];
