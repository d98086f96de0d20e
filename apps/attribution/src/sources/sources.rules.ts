import { CardEventName, CardStatus, Channel, CHANNEL_CARD_CODES, EVENTS, LeadEventName } from '@o2o/contracts';

/** A card's state as attribution keeps it; a pending card is never told, so it is not here. */
export type KnownCardStatus = 'active' | 'redeemed' | 'expired' | 'void';

/** What one card event says about its card. */
export interface CardFact {
  cardNo: string;
  cardId: string | null;
  phone: string | null;
  brandIds: string[];
  channel: Channel | null;
  campaign: string | null;
  agentId: string | null;
  visitorId: string | null;
  validFrom: Date | null;
  validTo: Date | null;
  activatedAt: Date | null;
  status: KnownCardStatus;
  /** The deal that redeemed it, while it is redeemed. */
  dealId: string | null;
  asOf: Date;
}

/**
 * Two events of one card stamped in the same instant are told apart by this rank, so that the
 * state kept is the same whatever order they arrive in: a later stage of a card's life wins.
 */
export const CARD_STATUS_RANK: Record<KnownCardStatus, number> = { active: 1, redeemed: 2, expired: 3, void: 4 };

/** The same for a lead's events: an assignment outranks the creation, a reassignment both. */
export const LEAD_EVENT_RANK: Record<LeadEventName, number> = { [EVENTS.leadCreated]: 0, [EVENTS.leadAssigned]: 1, [EVENTS.leadReassigned]: 2 };

const text = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const date = (v: unknown): Date | null => {
  if (typeof v !== 'string') return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
};
const channelOf = (v: unknown): Channel | null => (Object.values(Channel).includes(v as Channel) ? (v as Channel) : null);

function statusAfter(type: CardEventName, data: Record<string, unknown>): KnownCardStatus | undefined {
  switch (type) {
    case EVENTS.cardActivated:
      return 'active';
    case EVENTS.cardRedeemed:
      return 'redeemed';
    case EVENTS.cardReversed:
      // A reversal leaves the card active again, or expired when it is past its validity.
      return data.status === CardStatus.Expired ? 'expired' : data.status === CardStatus.Active ? 'active' : undefined;
    case EVENTS.cardExpired:
      return 'expired';
    case EVENTS.cardVoided:
      return 'void';
  }
}

/**
 * The fact a card event carries, or undefined when its payload cannot say what the card became.
 * Only card.activated and card.redeemed carry the phone; the others are matched by card number.
 */
export function cardFactOf(type: CardEventName, data: Record<string, unknown>, occurredAt: string): CardFact | undefined {
  const cardNo = text(data.cardNo);
  const status = statusAfter(type, data);
  const asOf = date(occurredAt);
  if (!cardNo || !status || !asOf) return undefined;
  const source = (typeof data.source === 'object' && data.source !== null ? data.source : {}) as Record<string, unknown>;
  return {
    cardNo,
    cardId: text(data.cardId),
    phone: text(data.phone),
    brandIds: Array.isArray(data.brandIds) ? data.brandIds.filter((b): b is string => typeof b === 'string') : [],
    channel: channelOf(source.channel) ?? channelOfCardNo(cardNo),
    campaign: text(source.campaign),
    agentId: text(source.agentId),
    visitorId: text(source.visitorId),
    validFrom: date(data.validFrom),
    validTo: date(data.validTo),
    activatedAt: type === EVENTS.cardActivated ? (date(data.activatedAt) ?? asOf) : null,
    status,
    dealId: status === 'redeemed' ? text(data.dealId) : null,
    asOf,
  };
}

/** A card number opens with its channel's two-digit code. */
export function channelOfCardNo(cardNo: string): Channel | null {
  const code = cardNo.slice(0, 2);
  const found = (Object.entries(CHANNEL_CARD_CODES) as [Channel, string][]).find(([, c]) => c === code);
  return found ? found[0] : null;
}
