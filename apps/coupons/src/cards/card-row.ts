import { CardSourcePayload, CardStatus, CardView, Channel } from '@o2o/contracts';
import { maskPhone } from '@o2o/contracts';
import { EntityManager } from 'typeorm';
import { benefitView } from '../campaigns/benefit';
import type { CampaignTermsColumns } from '../campaigns/campaigns.service';
import { CampaignTerms, CardState, effectiveStatus } from './eligibility';

/** A card with the campaign terms it carries, as read by one query. */
export interface CardRow extends CampaignTermsColumns {
  id: string;
  card_no: string;
  campaign_id: string;
  phone: string;
  status: CardStatus;
  channel: Channel;
  source_campaign: string | null;
  agent_id: string | null;
  visitor_id: string | null;
  valid_from: Date | null;
  valid_to: Date | null;
  issued_at: Date;
  activated_at: Date | null;
  redeemed_at: Date | null;
  void_reason: string | null;
}

export const SELECT_CARD = `
  SELECT k.id, k.card_no, k.campaign_id, k.phone, k.status, k.channel, k.source_campaign, k.agent_id, k.visitor_id,
         k.valid_from, k.valid_to, k.issued_at, k.activated_at, k.redeemed_at, k.void_reason,
         c.benefit_type, c.benefit_value, c.max_discount_fen, c.min_spend_fen, c.brand_ids, c.categories, c.cities
    FROM cards k JOIN campaigns c ON c.id = k.campaign_id`;

export async function findCard(m: EntityManager, cardNo: string): Promise<CardRow | undefined> {
  const [row]: CardRow[] = await m.query(`${SELECT_CARD} WHERE k.card_no = $1`, [cardNo]);
  return row;
}

export const stateOf = (r: CardRow): CardState => ({ status: r.status, validFrom: r.valid_from, validTo: r.valid_to });

export const termsOf = (r: CardRow): CampaignTerms => ({
  benefit: { type: r.benefit_type, value: r.benefit_value, maxDiscountFen: r.max_discount_fen, minSpendFen: r.min_spend_fen },
  brandIds: r.brand_ids,
  categories: r.categories,
  cities: r.cities,
});

export const sourceOf = (r: Pick<CardRow, 'channel' | 'source_campaign' | 'agent_id' | 'visitor_id'>): CardSourcePayload => ({
  channel: r.channel,
  campaign: r.source_campaign,
  agentId: r.agent_id,
  visitorId: r.visitor_id,
});

/** The facts every card event carries. */
export const eventFactsOf = (r: Pick<CardRow, 'id' | 'card_no' | 'campaign_id' | 'brand_ids' | 'channel' | 'source_campaign' | 'agent_id' | 'visitor_id'>) => ({
  cardId: r.id,
  cardNo: r.card_no,
  campaignId: r.campaign_id,
  brandIds: r.brand_ids,
  source: sourceOf(r),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The public view (masked phone, channel only), or the staff view with the full source. */
export function cardView(r: CardRow, audience: 'public' | 'staff', now: Date): CardView {
  const view: CardView = {
    cardNo: r.card_no,
    status: effectiveStatus(stateOf(r), now),
    benefit: benefitView(termsOf(r).benefit),
    validTo: iso(r.valid_to),
    phoneMasked: maskPhone(r.phone),
    source: { channel: r.channel },
  };
  if (audience === 'public') return view;
  return {
    ...view,
    source: {
      channel: r.channel,
      ...(r.source_campaign !== null ? { campaign: r.source_campaign } : {}),
      ...(r.agent_id !== null ? { agentId: r.agent_id } : {}),
      ...(r.visitor_id !== null ? { visitorId: r.visitor_id } : {}),
    },
    campaignId: r.campaign_id,
    validFrom: iso(r.valid_from),
    issuedAt: r.issued_at.toISOString(),
    activatedAt: iso(r.activated_at),
    redeemedAt: iso(r.redeemed_at),
    voidReason: r.void_reason,
  };
}
