import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { FunnelRollup } from './funnel-rollup';

/** funnel_days: per UTC day, dimension and key, the counts of the steps after the visit. */
@Injectable()
export class FunnelDaysRepository extends FunnelRollup {
  constructor(db: DataSource) {
    super(db, 'funnel_days', 'day');
  }
}
