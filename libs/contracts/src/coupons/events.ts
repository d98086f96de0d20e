import { CardStatus, Channel } from '../enums';

/** Payloads of the card events (names in EVENTS). Phones are normalised; ids are uuids. */

export interface CardSourcePayload {
  channel: Channel;
  campaign: string | null;
  agentId: string | null;
  visitorId: string | null;
}

interface CardFacts {
  cardId: string;
  cardNo: string;
  campaignId: string;
  /** The campaign's brand scope; empty means every brand. */
  brandIds: string[];
  source: CardSourcePayload;
}

/** A paid card is usable: for leads (who bought it) and attribution (where it came from). */
export interface CardActivatedEvent extends CardFacts {
  phone: string;
  orderId: string;
  amountFen: number;
  validFrom: string;
  validTo: string;
  activatedAt: string;
}

export interface CardRedeemedEvent extends CardFacts {
  phone: string;
  dealId: string;
  storeId: string;
  brandId: string;
  amountFen: number;
  discountFen: number;
  redeemedAt: string;
}

export interface CardReversedEvent extends CardFacts {
  dealId: string;
  /** active again, or expired when the card is past its validity. */
  status: CardStatus.Active | CardStatus.Expired;
  reversedAt: string;
}

export interface CardExpiredEvent extends CardFacts {
  validTo: string;
  expiredAt: string;
}

export interface CardVoidedEvent extends CardFacts {
  reason: string;
  voidedAt: string;
}
