import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Jobs, LOGGER, WebhookDispatcher } from '@o2o/platform';
import type { Logger } from 'pino';
import { WebhookNotifier } from './webhook-notifier';
import { WEBHOOKS_CONFIG, WebhooksConfig } from './webhooks.config';

/** Partner deliveries run here: `leads.webhooks`, and the sweep of lead events never scheduled. */
export const WEBHOOKS_QUEUE = 'leads.webhooks';
export const WEBHOOKS_SWEEP_QUEUE = 'leads.webhooks-sweep';
export const WEBHOOKS_SWEEP = 'webhooks-sweep';

@Injectable()
export class WebhooksJobs implements OnApplicationBootstrap {
  constructor(
    private readonly jobs: Jobs,
    private readonly dispatcher: WebhookDispatcher,
    private readonly notifier: WebhookNotifier,
    @Inject(WEBHOOKS_CONFIG) private readonly config: WebhooksConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.dispatcher.start();
    this.jobs.worker(WEBHOOKS_SWEEP_QUEUE, () => this.sweep(), { concurrency: 1 });
    // Every replica upserts the same scheduler: one sweep, however many start.
    await this.jobs.repeat(WEBHOOKS_SWEEP_QUEUE, WEBHOOKS_SWEEP, this.config.WEBHOOK_SWEEP_SECONDS * 1000, 'sweep');
  }

  private async sweep(): Promise<number> {
    const seen = await this.notifier.sweep();
    if (seen > 0) this.logger.debug({ seen }, 'partner webhook sweep: recent lead events checked');
    return seen;
  }
}
