import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BookingStepRows } from './booking-step-rows';

/** funnel_store_visits: one row per store visit (check-in) counted, with its booking's dimensions; a booking is visited once. */
@Injectable()
export class FunnelStoreVisitsRepository extends BookingStepRows {
  constructor(db: DataSource) {
    super(db, 'funnel_store_visits');
  }
}
