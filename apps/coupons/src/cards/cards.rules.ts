import { CardIneligibility, CardStatus, QuoteView } from '@o2o/contracts';
import { appliesToBrand, CampaignTerms, discountFor } from '../campaigns/campaigns.rules';

export interface CardState {
  status: CardStatus;
  validFrom: Date | null;
  validTo: Date | null;
}

/** What is known of the deal. Store city and brand categories come from coupons' own copies. */
export interface DealFacts {
  brandId: string;
  amountFen: number;
  /** Undefined when coupons has no record of the store. */
  storeCity: string | undefined;
  /** Undefined when coupons has no record of the brand. */
  brandCategories: string[] | undefined;
}

/** A card read at `now`: an active card past its validity is expired even before the sweep runs. */
export function effectiveStatus(card: CardState, now: Date): CardStatus {
  if (card.status === CardStatus.Active && card.validTo !== null && card.validTo.getTime() <= now.getTime()) return CardStatus.Expired;
  return card.status;
}

const sameText = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Whether a card applies to a deal, and why not. Pure: quote and redeem share it. */
export function ineligibility(card: CardState, terms: CampaignTerms, deal: DealFacts, now: Date): CardIneligibility | undefined {
  switch (effectiveStatus(card, now)) {
    case CardStatus.PendingPayment:
      return CardIneligibility.PendingPayment;
    case CardStatus.Redeemed:
      return CardIneligibility.Used;
    case CardStatus.Expired:
      return CardIneligibility.Expired;
    case CardStatus.Void:
      return CardIneligibility.Void;
    case CardStatus.Active:
      break;
  }
  if (card.validFrom !== null && card.validFrom.getTime() > now.getTime()) return CardIneligibility.NotYetValid;
  if (!appliesToBrand(terms.brandIds, deal.brandId)) return CardIneligibility.WrongBrand;
  if (terms.cities.length > 0) {
    if (deal.storeCity === undefined) return CardIneligibility.UnknownStore;
    if (!terms.cities.some((c) => sameText(c, deal.storeCity!))) return CardIneligibility.WrongCity;
  }
  if (terms.categories.length > 0) {
    if (deal.brandCategories === undefined) return CardIneligibility.UnknownBrand;
    if (!terms.categories.some((c) => deal.brandCategories!.some((b) => sameText(b, c)))) return CardIneligibility.WrongCategory;
  }
  if (terms.benefit.minSpendFen !== null && deal.amountFen < terms.benefit.minSpendFen) return CardIneligibility.UnderMinSpend;
  return undefined;
}

export function quote(card: CardState, terms: CampaignTerms, deal: DealFacts, now: Date): QuoteView {
  const reason = ineligibility(card, terms, deal, now);
  if (reason) return { eligible: false, discountFen: 0, payableFen: deal.amountFen, reason };
  const discountFen = discountFor(terms.benefit, deal.amountFen);
  return { eligible: true, discountFen, payableFen: deal.amountFen - discountFen };
}
