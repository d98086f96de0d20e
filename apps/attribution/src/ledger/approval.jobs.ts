import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Jobs, LOGGER } from '@o2o/platform';
import type { Logger } from 'pino';
import { ATTRIBUTION_CONFIG, AttributionConfig } from '../attribution.config';
import { LedgerService } from './ledger.service';

export const APPROVAL_QUEUE = 'attribution.commission-approval';
export const APPROVAL_SCHEDULER = 'commission-approval';

/**
 * Approves pending commissions once their delay has passed, by the service's clock, on a
 * repeatable job: every replica upserts the same scheduler, so one sweep runs however many start.
 */
@Injectable()
export class ApprovalJobs implements OnApplicationBootstrap {
  constructor(
    private readonly jobs: Jobs,
    private readonly ledger: LedgerService,
    @Inject(ATTRIBUTION_CONFIG) private readonly config: AttributionConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.jobs.worker(APPROVAL_QUEUE, () => this.sweep(), { concurrency: 1 });
    await this.jobs.repeat(APPROVAL_QUEUE, APPROVAL_SCHEDULER, this.config.COMMISSION_APPROVAL_SWEEP_SECONDS * 1000, 'approve');
  }

  private async sweep(): Promise<{ approved: number }> {
    const approved = await this.ledger.approveDue();
    if (approved) this.logger.info({ approved }, 'approved commissions past their delay');
    return { approved };
  }
}
