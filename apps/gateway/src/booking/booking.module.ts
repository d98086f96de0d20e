import { Module } from '@nestjs/common';
import { BookingsRoutes } from './bookings.routes';
import { DealsRoutes } from './deals.routes';

/** The booking service's routes: consultations, booking orders, slots, deals and refunds. */
@Module({ controllers: [BookingsRoutes, DealsRoutes] })
export class BookingGatewayModule {}
