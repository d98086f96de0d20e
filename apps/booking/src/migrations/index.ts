import { PlatformTables1763856000000, RequestLedger1764000000000 } from '@o2o/platform';
import { BookingOrders1795700000000 } from './1795700000000-booking-orders';
import { StaffFacts1795900000100 } from './1795900000100-staff-facts';

/** Every migration of the booking schema, oldest first. */
export const bookingMigrations = [PlatformTables1763856000000, RequestLedger1764000000000, BookingOrders1795700000000, StaffFacts1795900000100];
