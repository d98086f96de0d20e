import { PlatformTables1763856000000, RequestLedger1764000000000 } from '@o2o/platform';
import { PrivilegeCards1763900000000 } from './1763900000000-privilege-cards';
import { DealTombstones1795424400000 } from './1795424400000-deal-tombstones';

/** Every migration of the coupons schema, oldest first. */
export const couponsMigrations = [PlatformTables1763856000000, PrivilegeCards1763900000000, RequestLedger1764000000000, DealTombstones1795424400000];
