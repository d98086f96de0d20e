import { BenefitType, CardIneligibility, CardStatus } from '@o2o/contracts';
import { CampaignTerms } from '../campaigns/campaigns.rules';
import { CardState, DealFacts, effectiveStatus, quote } from './cards.rules';

const now = new Date('2025-06-01T00:00:00Z');
const day = 86_400_000;
const active: CardState = { status: CardStatus.Active, validFrom: new Date(now.getTime() - day), validTo: new Date(now.getTime() + 30 * day) };
const BRAND = '0190f1c2-0000-7000-8000-000000000001';
const OTHER = '0190f1c2-0000-7000-8000-000000000002';
const terms: CampaignTerms = {
  benefit: { type: BenefitType.AmountOff, value: 50_000, maxDiscountFen: null, minSpendFen: 300_000 },
  brandIds: [BRAND],
  categories: [],
  cities: ['Shanghai'],
};
const deal: DealFacts = { brandId: BRAND, amountFen: 700_000, storeCity: 'Shanghai', brandCategories: ['bathroom'] };

describe('card eligibility', () => {
  it('gives 500 yuan off a 7,000 yuan deal', () => {
    expect(quote(active, terms, deal, now)).toEqual({ eligible: true, discountFen: 50_000, payableFen: 650_000 });
  });

  it.each([
    [{ ...active, status: CardStatus.PendingPayment }, deal, CardIneligibility.PendingPayment],
    [{ ...active, status: CardStatus.Redeemed }, deal, CardIneligibility.Used],
    [{ ...active, status: CardStatus.Void }, deal, CardIneligibility.Void],
    [{ ...active, status: CardStatus.Expired }, deal, CardIneligibility.Expired],
    [{ ...active, validTo: now }, deal, CardIneligibility.Expired],
    [{ ...active, validFrom: new Date(now.getTime() + day) }, deal, CardIneligibility.NotYetValid],
    [active, { ...deal, brandId: OTHER }, CardIneligibility.WrongBrand],
    [active, { ...deal, storeCity: 'Beijing' }, CardIneligibility.WrongCity],
    [active, { ...deal, storeCity: undefined }, CardIneligibility.UnknownStore],
    [active, { ...deal, amountFen: 299_999 }, CardIneligibility.UnderMinSpend],
  ])('is not eligible: %#', (card, d, reason) => {
    expect(quote(card, terms, d, now)).toEqual({ eligible: false, discountFen: 0, payableFen: d.amountFen, reason });
  });

  it('checks categories against the brand, and says when the brand is unknown', () => {
    const byCategory = { ...terms, brandIds: [], cities: [], categories: ['Bathroom'] };
    expect(quote(active, byCategory, { ...deal, brandId: OTHER }, now).eligible).toBe(true);
    expect(quote(active, byCategory, { ...deal, brandCategories: ['tiles'] }, now).reason).toBe(CardIneligibility.WrongCategory);
    expect(quote(active, byCategory, { ...deal, brandCategories: undefined }, now).reason).toBe(CardIneligibility.UnknownBrand);
  });

  it('needs no store or brand record when the campaign is not scoped by city or category', () => {
    const unscoped = { ...terms, cities: [] };
    expect(quote(active, unscoped, { ...deal, storeCity: undefined, brandCategories: undefined }, now).eligible).toBe(true);
  });

  it('reads an active card past its validity as expired', () => {
    expect(effectiveStatus({ ...active, validTo: new Date(now.getTime() - 1) }, now)).toBe(CardStatus.Expired);
    expect(effectiveStatus(active, now)).toBe(CardStatus.Active);
    expect(effectiveStatus({ ...active, status: CardStatus.Redeemed, validTo: new Date(0) }, now)).toBe(CardStatus.Redeemed);
  });
});
