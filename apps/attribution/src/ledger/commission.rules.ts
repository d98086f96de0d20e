import { CommissionKind, CommissionParty } from '@o2o/contracts';

/**
 * The money of commissions, pure and in integer fen.
 *
 * THE ROUNDING RULE (the only one): every amount starts as an exact fraction of a fen, and a line
 * of a list gets floor(running exact total with it) − floor(running exact total before it).
 * - A deal's entries run in the order online base, closer base, premium, platform fee, each
 *   exactly base fen × rate basis points / 10 000. They add up to floor(their exact sum): no fen
 *   lost to rounding each one down, none invented by rounding any up; each is its exact value
 *   rounded down or up by less than a fen.
 * - A refund claws back each entry over the refunded total, as a running total too:
 *   clawback = −(floor(entry × refundedTotal / amount) − floor(entry × refundedBefore / amount)).
 *   Refunds cover [refundedBefore, refundedTotal) of the amount without overlap, so the
 *   clawbacks of a fully refunded entry add up to exactly −entry, whatever order they arrive in,
 *   and never more than the entry before that.
 * BigInt throughout: fen × basis points and entry × refunded pass 2^53 for large deals.
 */

export const BASIS_POINTS = 10_000n;

/** Basis points (100 = 1%) of each share. */
export interface Rates {
  onlineRate: number;
  offlineRate: number;
  premiumRate: number;
  platformFeeRate: number;
}

export type EntryKind = Exclude<CommissionKind, 'clawback'>;

/** One share of a deal before rounding: rate × base. */
export interface ShareSpec {
  party: CommissionParty;
  kind: EntryKind;
  staffId: string | null;
  baseFen: number;
  rateBp: number;
}

export interface Share extends ShareSpec {
  amountFen: number;
  /** The arithmetic, as the attribution's explain shows it. */
  basis: string;
}

/** An exact amount of fen × basis points, written as fen with up to four decimals. */
export function exactFen(numerator: bigint): string {
  const whole = numerator / BASIS_POINTS;
  const rest = numerator % BASIS_POINTS;
  return rest === 0n ? `${whole}` : `${whole}.${rest.toString().padStart(4, '0').replace(/0+$/, '')}`;
}

/**
 * The shares a deal gives, in the order the rounding runs through: the online agent's base (when
 * an agent is known), the closer's base, the closer's premium (when a budget is known and the
 * amount passes it), the platform's fee.
 */
export function dealShares(
  deal: { amountFen: number; budgetFen: number | null },
  rates: Rates,
  people: { agentId: string | null; closerId: string },
): ShareSpec[] {
  const shares: ShareSpec[] = [];
  if (people.agentId) shares.push({ party: 'online_agent', kind: 'base', staffId: people.agentId, baseFen: deal.amountFen, rateBp: rates.onlineRate });
  shares.push({ party: 'offline_closer', kind: 'base', staffId: people.closerId, baseFen: deal.amountFen, rateBp: rates.offlineRate });
  if (deal.budgetFen !== null && deal.amountFen > deal.budgetFen) {
    shares.push({ party: 'offline_closer', kind: 'premium', staffId: people.closerId, baseFen: deal.amountFen - deal.budgetFen, rateBp: rates.premiumRate });
  }
  shares.push({ party: 'platform', kind: 'fee', staffId: null, baseFen: deal.amountFen, rateBp: rates.platformFeeRate });
  return shares;
}

/** Rounds the shares by the running-floor rule; their sum is floor(exact sum). */
export function splitByRunningFloor(specs: ShareSpec[]): Share[] {
  let before = 0n;
  return specs.map((spec) => {
    const exact = BigInt(spec.baseFen) * BigInt(spec.rateBp);
    const after = before + exact;
    const amount = after / BASIS_POINTS - before / BASIS_POINTS;
    const basis =
      `${spec.baseFen} fen × ${spec.rateBp} bp / 10000 = ${exactFen(exact)} fen; ` +
      `running floor ${after / BASIS_POINTS} − ${before / BASIS_POINTS} = ${amount} fen`;
    before = after;
    return { ...spec, amountFen: Number(amount), basis };
  });
}

/** A deal's commission entries, rounded; entries of 0 fen are left to the caller to skip. */
export function commissionShares(
  deal: { amountFen: number; budgetFen: number | null },
  rates: Rates,
  people: { agentId: string | null; closerId: string },
): Share[] {
  return splitByRunningFloor(dealShares(deal, rates, people));
}

export interface RefundSlice {
  dealAmountFen: number;
  /** Refunded before this refund, and with it. */
  refundedBeforeFen: number;
  refundedTotalFen: number;
}

/** Why a refund cannot be applied to a deal of this amount, or undefined when it can. */
export function refundSliceProblem(r: RefundSlice): string | undefined {
  const ints = [r.dealAmountFen, r.refundedBeforeFen, r.refundedTotalFen].every(Number.isSafeInteger);
  if (!ints) return 'amounts are not whole fen';
  if (r.dealAmountFen <= 0) return 'the deal has no amount';
  if (r.refundedBeforeFen < 0 || r.refundedTotalFen <= r.refundedBeforeFen) return 'the refund covers no amount';
  if (r.refundedTotalFen > r.dealAmountFen) return `${r.refundedTotalFen} fen refunded of a ${r.dealAmountFen} fen deal`;
  return undefined;
}

/** The clawback (0 or negative) of one entry for one refund, by the running-floor rule. */
export function clawbackFen(entryFen: number, r: RefundSlice): number {
  const entry = BigInt(entryFen);
  const amount = BigInt(r.dealAmountFen);
  const upTo = (refunded: number) => (entry * BigInt(refunded)) / amount;
  return Number(upTo(r.refundedBeforeFen) - upTo(r.refundedTotalFen));
}

export function clawbackBasis(entryFen: number, r: RefundSlice): string {
  const entry = BigInt(entryFen);
  const amount = BigInt(r.dealAmountFen);
  const total = (entry * BigInt(r.refundedTotalFen)) / amount;
  const before = (entry * BigInt(r.refundedBeforeFen)) / amount;
  return (
    `refund of ${r.refundedTotalFen - r.refundedBeforeFen} fen (${r.refundedBeforeFen} → ${r.refundedTotalFen} of ${r.dealAmountFen}): ` +
    `−(floor(${entryFen} × ${r.refundedTotalFen} / ${r.dealAmountFen}) − floor(${entryFen} × ${r.refundedBeforeFen} / ${r.dealAmountFen})) = −(${total} − ${before}) = ${before - total} fen`
  );
}
