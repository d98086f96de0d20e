import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BookingStepRows } from './booking-step-rows';

/** funnel_bookings: one row per booking counted, at its creation, with its dimensions. */
@Injectable()
export class FunnelBookingsRepository extends BookingStepRows {
  constructor(db: DataSource) {
    super(db, 'funnel_bookings');
  }
}
