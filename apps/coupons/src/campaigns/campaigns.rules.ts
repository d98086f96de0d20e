import { Actor, BenefitType, BenefitView } from '@o2o/contracts';
import { partnerBrand } from '@o2o/platform';

export interface Benefit {
  type: BenefitType;
  value: number;
  maxDiscountFen: number | null;
  minSpendFen: number | null;
}

/** What a card carries from its campaign: its benefit and where it applies (empty means everywhere). */
export interface CampaignTerms {
  benefit: Benefit;
  brandIds: string[];
  categories: string[];
  cities: string[];
}

/** The discount on a deal amount, in whole fen, never more than the amount or the cap. */
export function discountFor(benefit: Benefit, amountFen: number): number {
  // Percent off rounds down: the customer never gets a fraction of a fen the store did not give.
  const raw = benefit.type === BenefitType.PercentOff ? Math.floor((amountFen * benefit.value) / 100) : benefit.value;
  const capped = benefit.maxDiscountFen === null ? raw : Math.min(raw, benefit.maxDiscountFen);
  return Math.max(0, Math.min(capped, amountFen));
}

export function benefitView(b: Benefit): BenefitView {
  return {
    type: b.type,
    value: b.value,
    ...(b.maxDiscountFen !== null ? { maxDiscountFen: b.maxDiscountFen } : {}),
    ...(b.minSpendFen !== null ? { minSpendFen: b.minSpendFen } : {}),
  };
}

/** Brand ids compare as uuids do, whatever their case. */
export const sameBrand = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Whether a card of the campaign may be used at the brand: a campaign naming no brand applies to all. */
export function appliesToBrand(brandIds: string[], brandId: string): boolean {
  return brandIds.length === 0 || brandIds.some((b) => sameBrand(b, brandId));
}

/**
 * Whether the actor may see the campaign and its cards. A partner sees only campaigns that name
 * its brand: a chain-wide campaign (no brands) is not any one brand's business, and its cards
 * carry other brands' customers.
 */
export function visibleTo(actor: Actor, brandIds: string[]): boolean {
  const brand = partnerBrand(actor);
  return brand === undefined || brandIds.some((b) => sameBrand(b, brand));
}
