import { Actor, BenefitType, Role } from '@o2o/contracts';
import fc from 'fast-check';
import { appliesToBrand, discountFor, visibleTo } from './campaigns.rules';

const BRAND = '0190f1c2-0000-7000-8000-000000000001';
const OTHER = '0190f1c2-0000-7000-8000-000000000002';

describe('discount', () => {
  it.each([
    [BenefitType.AmountOff, 50_000, null, 700_000, 50_000],
    [BenefitType.AmountOff, 50_000, null, 30_000, 30_000],
    [BenefitType.PercentOff, 10, null, 12_345, 1_234],
    [BenefitType.PercentOff, 10, 1_000, 12_345, 1_000],
    [BenefitType.PercentOff, 100, null, 999, 999],
  ])('%s %d (cap %p) on %d fen takes %d fen off', (type, value, maxDiscountFen, amount, discount) => {
    expect(discountFor({ type, value, maxDiscountFen, minSpendFen: null }, amount)).toBe(discount);
  });

  it('is always a whole number of fen between 0 and the amount, within the cap', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(BenefitType.AmountOff, BenefitType.PercentOff),
        fc.integer({ min: 1, max: 2_000_000_000 }),
        fc.option(fc.integer({ min: 1, max: 2_000_000_000 }), { nil: null }),
        fc.integer({ min: 1, max: 2_000_000_000 }),
        (type, rawValue, cap, amount) => {
          const value = type === BenefitType.PercentOff ? (rawValue % 100) + 1 : rawValue;
          const d = discountFor({ type, value, maxDiscountFen: cap, minSpendFen: null }, amount);
          expect(Number.isInteger(d)).toBe(true);
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThanOrEqual(amount);
          if (cap !== null) expect(d).toBeLessThanOrEqual(cap);
        },
      ),
    );
  });
});

describe('brands', () => {
  const staff: Actor = { kind: 'staff', userId: 'u-1', roles: [Role.Agent] };
  const partner: Actor = { kind: 'partner', keyId: 'k-1', brandId: BRAND };
  const anonymous: Actor = { kind: 'anonymous' };

  it.each([
    [[], BRAND, true],
    [[BRAND], BRAND, true],
    [[BRAND.toUpperCase()], BRAND, true],
    [[OTHER], BRAND, false],
  ])('a campaign for %j applies at %s: %s', (brandIds, brand, applies) => {
    expect(appliesToBrand(brandIds, brand)).toBe(applies);
  });

  it.each([
    [staff, [], true],
    [staff, [OTHER], true],
    [anonymous, [OTHER], true],
    [partner, [BRAND, OTHER], true],
    [partner, [BRAND.toUpperCase()], true],
    // A chain-wide campaign names no brand, so no partner sees it.
    [partner, [], false],
    [partner, [OTHER], false],
  ])('%j sees a campaign for %j: %s', (actor, brandIds, visible) => {
    expect(visibleTo(actor, brandIds)).toBe(visible);
  });
});
