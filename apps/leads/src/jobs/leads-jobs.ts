import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Jobs, LOGGER } from '@o2o/platform';
import { Job } from 'bullmq';
import type { Logger } from 'pino';
import { AssignmentService } from '../assignment/assignment.service';
import { SLA_QUEUE, SlaJob } from '../assignment/sla-timer';
import { LEADS_CONFIG, LeadsConfig } from '../leads.config';

export const LEADS_SWEEP_QUEUE = 'leads.sweep';
export const LEADS_SWEEP = 'leads-sweep';

/**
 * Runs the leads timers: each assignment's SLA (a delayed job per assignment) and the repeatable
 * sweep that routes waiting leads and catches SLA timers that were lost. The kit's Jobs stops the
 * workers at shutdown, before the database closes.
 */
@Injectable()
export class LeadsJobs implements OnApplicationBootstrap {
  constructor(
    private readonly jobs: Jobs,
    private readonly assignment: AssignmentService,
    @Inject(LEADS_CONFIG) private readonly config: LeadsConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.jobs.worker(SLA_QUEUE, (job: Job<SlaJob>) => this.assignment.expireSla(job.data.leadId, job.data.assignmentNo), { concurrency: 4 });
    this.jobs.worker(LEADS_SWEEP_QUEUE, () => this.sweep(), { concurrency: 1 });
    await this.scheduleSweep(this.config.LEADS_SWEEP_SECONDS * 1000);
  }

  /** Every replica upserts the same scheduler: one sweep, however many start. */
  scheduleSweep(everyMs: number): Promise<void> {
    return this.jobs.repeat(LEADS_SWEEP_QUEUE, LEADS_SWEEP, everyMs, 'sweep');
  }

  private async sweep(): Promise<{ assigned: number; expired: number }> {
    const done = await this.assignment.sweep();
    if (done.assigned || done.expired) this.logger.info(done, 'routed waiting leads and caught up SLA timers');
    return done;
  }
}
