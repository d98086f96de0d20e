import { Injectable } from '@nestjs/common';
import { WebhookView } from '@o2o/contracts';
import { WebhookEndpoint } from '@o2o/platform';
import { DataSource } from 'typeorm';

interface BrandWebhookRow {
  brand_id: string;
  url: string;
  secret: string;
  updated_at: Date;
}

export interface BrandWebhook extends WebhookEndpoint {
  brandId: string;
  updatedAt: Date;
}

const toWebhook = (r: BrandWebhookRow): BrandWebhook => ({ brandId: r.brand_id, url: r.url, secret: r.secret, updatedAt: r.updated_at });

/** The view a caller reads: the secret is kept to sign deliveries and never shown. */
export const webhookView = (w: BrandWebhook): WebhookView => ({
  brandId: w.brandId,
  url: w.url,
  secretSet: w.secret.length > 0,
  updatedAt: w.updatedAt.toISOString(),
});

/** The brand_webhooks table: each brand's one webhook endpoint and signing secret. */
@Injectable()
export class BrandWebhooksRepository {
  constructor(private readonly dataSource: DataSource) {}

  async upsert(brandId: string, url: string, secret: string): Promise<BrandWebhook> {
    const [row] = await this.dataSource.query<BrandWebhookRow[]>(
      `INSERT INTO brand_webhooks (brand_id, url, secret, updated_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (brand_id) DO UPDATE SET url = EXCLUDED.url, secret = EXCLUDED.secret, updated_at = EXCLUDED.updated_at
       RETURNING brand_id, url, secret, updated_at`,
      [brandId, url, secret],
    );
    return toWebhook(row);
  }

  async find(brandId: string): Promise<BrandWebhook | undefined> {
    const [row] = await this.dataSource.query<BrandWebhookRow[]>('SELECT brand_id, url, secret, updated_at FROM brand_webhooks WHERE brand_id = $1', [brandId]);
    return row ? toWebhook(row) : undefined;
  }

  /** Of these brands, the ones with a webhook registered. */
  async registeredAmong(brandIds: string[]): Promise<string[]> {
    if (brandIds.length === 0) return [];
    const rows = await this.dataSource.query<{ brand_id: string }[]>('SELECT brand_id FROM brand_webhooks WHERE brand_id = ANY($1::uuid[])', [brandIds]);
    return rows.map((r) => r.brand_id);
  }

  /**
   * Lead events of the outbox (leads' own) that occurred since `since`, each with a registered
   * brand it names: the sweep's work list. Read here, beside the brands, as one join.
   */
  async recentLeadEventsForRegisteredBrands(types: string[], since: Date, limit: number): Promise<RecentLeadEvent[]> {
    const rows = await this.dataSource.query<{ id: string; type: string; payload: Record<string, unknown>; occurred_at: Date; brand_id: string }[]>(
      `SELECT o.id, o.type, o.payload, o.occurred_at, w.brand_id
         FROM outbox o JOIN brand_webhooks w ON o.payload -> 'brandIds' ? w.brand_id::text
        WHERE o.type = ANY($1) AND o.occurred_at >= $2
        ORDER BY o.occurred_at, o.id LIMIT $3`,
      [types, since.toISOString(), limit],
    );
    return rows.map((r) => ({ id: r.id, type: r.type, payload: r.payload, occurredAt: r.occurred_at.toISOString(), brandId: r.brand_id }));
  }

  /** Of these event ids, the ones committed to leads' outbox. */
  async committedEvents(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.dataSource.query<{ id: string }[]>('SELECT id FROM outbox WHERE id = ANY($1::uuid[])', [ids]);
    return new Set(rows.map((r) => r.id));
  }
}

export interface RecentLeadEvent {
  id: string;
  type: string;
  payload: Record<string, unknown>;
  occurredAt: string;
  brandId: string;
}
