import { BenefitType } from '@o2o/contracts';
import fc from 'fast-check';
import { discountFor } from './benefit';

describe('discount', () => {
  it('takes a fixed amount off, never more than the deal', () => {
    expect(discountFor({ type: BenefitType.AmountOff, value: 50_000, maxDiscountFen: null, minSpendFen: null }, 700_000)).toBe(50_000);
    expect(discountFor({ type: BenefitType.AmountOff, value: 50_000, maxDiscountFen: null, minSpendFen: null }, 30_000)).toBe(30_000);
  });

  it('takes a percent off, rounded down to the fen, up to the cap', () => {
    expect(discountFor({ type: BenefitType.PercentOff, value: 10, maxDiscountFen: null, minSpendFen: null }, 12_345)).toBe(1_234);
    expect(discountFor({ type: BenefitType.PercentOff, value: 10, maxDiscountFen: 1_000, minSpendFen: null }, 12_345)).toBe(1_000);
    expect(discountFor({ type: BenefitType.PercentOff, value: 100, maxDiscountFen: null, minSpendFen: null }, 999)).toBe(999);
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
