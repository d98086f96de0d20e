import { Injectable } from '@nestjs/common';
import { CardExpiredEvent, EVENTS } from '@o2o/contracts';
import { queryRows, writeEvent } from '@o2o/platform';
import { DataSource } from 'typeorm';
import { CardRow, eventFactsOf } from './card-row';

type ExpiredRow = Pick<CardRow, 'id' | 'card_no' | 'campaign_id' | 'channel' | 'source_campaign' | 'agent_id' | 'visitor_id' | 'brand_ids'> & {
  valid_to: Date;
  expired_at: Date;
};

/** Marks active cards past their validity as expired, in batches, each with its card.expired event. */
@Injectable()
export class CardExpiryService {
  constructor(private readonly dataSource: DataSource) {}

  async sweep(batch = 500): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.dataSource.transaction(async (m) => {
        // SKIP LOCKED: a card being redeemed or voided right now is left to that transaction.
        const expired = await queryRows<ExpiredRow>(
        m,
          `UPDATE cards k SET status = 'expired', expired_at = now()
             FROM campaigns c
            WHERE k.id IN (SELECT id FROM cards WHERE status = 'active' AND valid_to <= now() ORDER BY valid_to LIMIT $1 FOR UPDATE SKIP LOCKED)
              AND k.status = 'active' AND c.id = k.campaign_id
            RETURNING k.id, k.card_no, k.campaign_id, k.channel, k.source_campaign, k.agent_id, k.visitor_id, k.valid_to, k.expired_at, c.brand_ids`,
          [batch],
        );
        for (const r of expired) {
          const event: CardExpiredEvent = { ...eventFactsOf(r), validTo: r.valid_to.toISOString(), expiredAt: r.expired_at.toISOString() };
          await writeEvent(m, EVENTS.cardExpired, event);
        }
        return expired.length;
      });
      total += n;
      if (n < batch) return total;
    }
  }
}
