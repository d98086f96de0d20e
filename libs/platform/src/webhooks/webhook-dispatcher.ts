import { UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { queryRows } from '../database/rows';
import { newId } from '../ids';
import { Jobs } from '../jobs/jobs';
import { signWebhook, SIGNATURE_HEADER } from './signing';
import { checkWebhookUrl } from './url-guard';

export interface WebhookEndpoint {
  url: string;
  secret: string;
}

/** What a partner receives, as the body of the POST. */
export interface WebhookEvent {
  id: string;
  type: string;
  occurredAt: string;
  data: unknown;
}

export interface WebhookAttemptView {
  id: string;
  eventId: string;
  type: string;
  attempt: number;
  statusCode?: number;
  error?: string;
  at: string;
  nextAttemptAt?: string;
}

export interface WebhookDispatcherOptions {
  jobs: Jobs;
  dataSource: DataSource;
  /** The queue of this service's deliveries, e.g. `leads.webhooks`. */
  queue: string;
  /** The brand's endpoint as registered now (a delivery uses the latest URL and secret). */
  endpointOf(brandId: string): Promise<WebhookEndpoint | undefined>;
  logger: Pick<Logger, 'warn' | 'info'>;
  allowPrivateUrls?: boolean;
  attempts?: number;
  /** The first retry's delay; each next one doubles it. */
  backoffMs?: number;
  timeoutMs?: number;
}

interface DeliveryJob {
  brandId: string;
  event: WebhookEvent;
}

interface AttemptRow {
  id: string;
  event_id: string;
  type: string;
  attempt: number;
  status_code: number | null;
  error: string | null;
  at: Date;
  next_attempt_at: Date | null;
}

/**
 * Delivers events to partners' webhooks, signed, through the kit's jobs: one job per (event,
 * brand), so an event is never queued twice for a brand; a failed attempt (a non-2xx answer, a
 * timeout, a refused address) is retried with exponential backoff, and every attempt is recorded.
 */
export class WebhookDispatcher {
  private readonly attempts: number;
  private readonly backoffMs: number;

  constructor(private readonly options: WebhookDispatcherOptions) {
    this.attempts = options.attempts ?? 8;
    this.backoffMs = options.backoffMs ?? 2000;
  }

  start(): void {
    this.options.jobs.worker<DeliveryJob>(this.options.queue, (job) => this.deliver(job.data, job.attemptsMade + 1), { concurrency: 8 });
  }

  async dispatch(brandId: string, event: WebhookEvent): Promise<void> {
    await this.options.jobs.schedule<DeliveryJob>(this.options.queue, {
      jobId: `webhook-${event.id}-${brandId}`,
      name: event.type,
      data: { brandId, event },
      runAt: new Date(0),
      attempts: this.attempts,
      backoff: { type: 'exponential', delay: this.backoffMs },
    });
  }

  /** The brand's attempts, newest first. */
  async attemptsOf(brandId: string, limit: number, beforeId?: string): Promise<WebhookAttemptView[]> {
    const rows = await queryRows<AttemptRow>(
      this.options.dataSource,
      `SELECT id, event_id, type, attempt, status_code, error, at, next_attempt_at FROM webhook_attempts
        WHERE brand_id = $1 AND ($2::uuid IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
      [brandId, beforeId ?? null, limit],
    );
    return rows.map((r) => ({
      id: r.id,
      eventId: r.event_id,
      type: r.type,
      attempt: r.attempt,
      ...(r.status_code !== null ? { statusCode: r.status_code } : {}),
      ...(r.error !== null ? { error: r.error } : {}),
      at: r.at.toISOString(),
      ...(r.next_attempt_at ? { nextAttemptAt: r.next_attempt_at.toISOString() } : {}),
    }));
  }

  private async deliver({ brandId, event }: DeliveryJob, attempt: number): Promise<void> {
    const endpoint = await this.options.endpointOf(brandId);
    if (!endpoint) return; // no webhook registered (any more): nothing to send
    const verdict = await checkWebhookUrl(endpoint.url, { allowPrivate: this.options.allowPrivateUrls });
    if (!verdict.ok) {
      await this.record(brandId, event, endpoint.url, attempt, { error: `refused: the URL ${verdict.reason}` }, false);
      throw new UnrecoverableError(`webhook URL refused: ${verdict.reason}`);
    }
    const body = JSON.stringify(event);
    let statusCode: number | undefined;
    let error: string | undefined;
    try {
      const res = await fetch(endpoint.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: signWebhook(endpoint.secret, body),
          'x-o2o-event-id': event.id,
          'x-o2o-event-type': event.type,
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      });
      statusCode = res.status;
      await res.body?.cancel(); // the receiver's answer is not kept
      if (res.status < 200 || res.status >= 300) error = `answered ${res.status}`;
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    const retries = error !== undefined && attempt < this.attempts;
    await this.record(brandId, event, endpoint.url, attempt, { statusCode, error }, retries);
    if (error !== undefined) throw new Error(`webhook ${event.type} to brand ${brandId}: ${error}`);
  }

  private async record(
    brandId: string,
    event: WebhookEvent,
    url: string,
    attempt: number,
    outcome: { statusCode?: number; error?: string },
    retries: boolean,
  ): Promise<void> {
    const nextAttemptAt = retries ? new Date(Date.now() + this.backoffMs * 2 ** (attempt - 1)) : null;
    await this.options.dataSource.query(
      `INSERT INTO webhook_attempts (id, brand_id, event_id, type, url, attempt, status_code, error, next_attempt_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (brand_id, event_id, attempt) DO NOTHING`,
      [newId(), brandId, event.id, event.type, url, attempt, outcome.statusCode ?? null, outcome.error?.slice(0, 500) ?? null, nextAttemptAt],
    );
  }
}
