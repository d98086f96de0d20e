import { Injectable } from '@nestjs/common';
import { Channel } from '@o2o/contracts';
import { DataSource } from 'typeorm';
import { CardFact, KnownCardStatus } from './sources.rules';

interface CardRow {
  card_no: string;
  card_id: string | null;
  phone: string | null;
  brand_ids: string[];
  channel: Channel | null;
  campaign: string | null;
  agent_id: string | null;
  visitor_id: string | null;
  valid_from: Date | null;
  valid_to: Date | null;
  activated_at: Date | null;
  status: KnownCardStatus;
  deal_id: string | null;
  as_of: Date;
}

const toCardFact = (r: CardRow): CardFact => ({
  cardNo: r.card_no,
  cardId: r.card_id,
  phone: r.phone,
  brandIds: r.brand_ids,
  channel: r.channel,
  campaign: r.campaign,
  agentId: r.agent_id,
  visitorId: r.visitor_id,
  validFrom: r.valid_from,
  validTo: r.valid_to,
  activatedAt: r.activated_at,
  status: r.status,
  dealId: r.deal_id,
  asOf: r.as_of,
});

// The rank of a status, so that two events stamped in the same instant settle the same way in any order.
const RANK = (status: string) => `array_position(ARRAY['active', 'redeemed', 'expired', 'void'], ${status})`;
const NEWER = `(EXCLUDED.as_of, ${RANK('EXCLUDED.status')}) > (source_cards.as_of, ${RANK('source_cards.status')})`;

/**
 * The source_cards table: attribution's copy of each card, fed by the card events. The state is
 * the newest told (by occurredAt, then rank); what never changes (phone, source, validity,
 * activation) is filled in by whichever event carries it, whatever the order of arrival.
 */
@Injectable()
export class SourceCardsRepository {
  constructor(private readonly db: DataSource) {}

  async record(f: CardFact): Promise<void> {
    await this.db.query(
      `INSERT INTO source_cards (card_no, card_id, phone, brand_ids, channel, campaign, agent_id, visitor_id, valid_from, valid_to, activated_at, status, deal_id, as_of)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
       ON CONFLICT (card_no) DO UPDATE SET
         card_id = coalesce(source_cards.card_id, EXCLUDED.card_id),
         phone = coalesce(source_cards.phone, EXCLUDED.phone),
         brand_ids = CASE WHEN cardinality(source_cards.brand_ids) > 0 THEN source_cards.brand_ids ELSE EXCLUDED.brand_ids END,
         channel = coalesce(source_cards.channel, EXCLUDED.channel),
         campaign = coalesce(source_cards.campaign, EXCLUDED.campaign),
         agent_id = coalesce(source_cards.agent_id, EXCLUDED.agent_id),
         visitor_id = coalesce(source_cards.visitor_id, EXCLUDED.visitor_id),
         valid_from = coalesce(source_cards.valid_from, EXCLUDED.valid_from),
         valid_to = coalesce(source_cards.valid_to, EXCLUDED.valid_to),
         activated_at = coalesce(source_cards.activated_at, EXCLUDED.activated_at),
         status = CASE WHEN ${NEWER} THEN EXCLUDED.status ELSE source_cards.status END,
         deal_id = CASE WHEN ${NEWER} THEN EXCLUDED.deal_id ELSE source_cards.deal_id END,
         as_of = CASE WHEN ${NEWER} THEN EXCLUDED.as_of ELSE source_cards.as_of END`,
      [
        f.cardNo,
        f.cardId,
        f.phone,
        f.brandIds,
        f.channel,
        f.campaign,
        f.agentId,
        f.visitorId,
        f.validFrom,
        f.validTo,
        f.activatedAt,
        f.status,
        f.dealId,
        f.asOf,
      ],
    );
  }

  async find(cardNo: string): Promise<CardFact | undefined> {
    const [row] = await this.db.query<CardRow[]>('SELECT * FROM source_cards WHERE card_no = $1', [cardNo]);
    return row && toCardFact(row);
  }

  /** The phone's cards, newest bought first (a bounded list: a phone holds a handful). */
  async ofPhone(phone: string, limit = 50): Promise<CardFact[]> {
    const rows = await this.db.query<CardRow[]>('SELECT * FROM source_cards WHERE phone = $1 ORDER BY activated_at DESC NULLS LAST, card_no LIMIT $2', [
      phone,
      limit,
    ]);
    return rows.map(toCardFact);
  }
}
