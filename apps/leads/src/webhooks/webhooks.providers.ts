import { Provider } from '@nestjs/common';
import { Jobs, loadConfig, LOGGER, WebhookDispatcher } from '@o2o/platform';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { BrandWebhooksRepository } from './brand-webhooks.repository';
import { WebhookNotifier } from './webhook-notifier';
import { WebhooksController } from './webhooks.controller';
import { WEBHOOKS_QUEUE, WebhooksJobs } from './webhooks.jobs';
import { WebhooksListener } from './webhooks.listener';
import { WEBHOOKS_CONFIG, WebhooksConfig } from './webhooks.config';
import { WebhooksService } from './webhooks.service';

/** The partner webhooks domain, listed last in LeadsModule (its listener defers to the core's deal.closed handler). */
export const WEBHOOKS_CONTROLLERS = [WebhooksController];

export const WEBHOOKS_PROVIDERS: Provider[] = [
  { provide: WEBHOOKS_CONFIG, useFactory: () => loadConfig(WebhooksConfig) },
  BrandWebhooksRepository,
  {
    provide: WebhookDispatcher,
    useFactory: (jobs: Jobs, dataSource: DataSource, webhooks: BrandWebhooksRepository, config: WebhooksConfig, logger: Logger) =>
      new WebhookDispatcher({
        jobs,
        dataSource,
        queue: WEBHOOKS_QUEUE,
        endpointOf: (brandId) => webhooks.find(brandId),
        logger,
        allowPrivateUrls: config.WEBHOOK_ALLOW_PRIVATE_URLS === 'true',
        attempts: config.WEBHOOK_ATTEMPTS,
        backoffMs: config.WEBHOOK_BACKOFF_MS,
        timeoutMs: config.WEBHOOK_TIMEOUT_MS,
      }),
    inject: [Jobs, DataSource, BrandWebhooksRepository, WEBHOOKS_CONFIG, LOGGER],
  },
  WebhooksService,
  WebhookNotifier,
  WebhooksListener,
  WebhooksJobs,
];
