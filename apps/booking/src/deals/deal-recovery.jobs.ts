import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Jobs, LOGGER } from '@o2o/platform';
import type { Logger } from 'pino';
import { BOOKING_CONFIG, BookingConfig } from '../booking.config';
import { DealCompensation } from './deal-compensation';

export const DEAL_RECOVERY_QUEUE = 'booking.deal-recovery';

/** The repeatable recovery sweep: one scheduler, however many replicas start. */
@Injectable()
export class DealRecoveryJobs implements OnApplicationBootstrap {
  constructor(
    private readonly jobs: Jobs,
    private readonly compensation: DealCompensation,
    @Inject(BOOKING_CONFIG) private readonly config: BookingConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.jobs.worker(DEAL_RECOVERY_QUEUE, () => this.sweep(), { concurrency: 1 });
    await this.jobs.repeat(DEAL_RECOVERY_QUEUE, 'deal-recovery', this.config.DEAL_RECOVERY_SECONDS * 1000, 'sweep');
  }

  private async sweep(): Promise<{ abandoned: number; failed: number }> {
    const done = await this.compensation.sweep();
    if (done.abandoned || done.failed) this.logger.info(done, 'deal recovery sweep');
    return done;
  }
}
