import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { IdempotencyStore, LOGGER } from '@o2o/platform';
import type { Logger } from 'pino';

const RETENTION_HOURS = 24;
const EVERY_MS = 60 * 60 * 1000;

/** Stored answers are replayable for a day; older ones are dropped once an hour. */
@Injectable()
export class IdempotencyRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly store: IdempotencyStore,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.purge(), EVERY_MS).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async purge(): Promise<void> {
    try {
      const dropped = await this.store.purge(RETENTION_HOURS);
      if (dropped) this.logger.info({ dropped }, 'old idempotency keys dropped');
    } catch (err) {
      this.logger.warn({ err }, 'idempotency key purge failed; will retry next hour');
    }
  }
}
