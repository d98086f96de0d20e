import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { FunnelRollup } from './funnel-rollup';

/** funnel_hours: per UTC hour, dimension and key, the counts of the steps after the visit. */
@Injectable()
export class FunnelHoursRepository extends FunnelRollup {
  constructor(db: DataSource) {
    super(db, 'funnel_hours', 'hour');
  }
}
