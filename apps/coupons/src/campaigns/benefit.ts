import { BenefitType, BenefitView } from '@o2o/contracts';

export interface Benefit {
  type: BenefitType;
  value: number;
  maxDiscountFen: number | null;
  minSpendFen: number | null;
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
