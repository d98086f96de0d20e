import { PlatformTables1763856000000 } from './1763856000000-platform-tables';

/** Every migration of the coupons schema, oldest first. */
export const couponsMigrations = [PlatformTables1763856000000];
