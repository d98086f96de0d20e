import fc from 'fast-check';
import { MAX_FEN } from '@o2o/contracts';
import { BASIS_POINTS, clawbackFen, commissionShares, dealShares, Rates } from './commission.rules';

const rate = fc.integer({ min: 0, max: 10_000 });
const rates: fc.Arbitrary<Rates> = fc.record({ onlineRate: rate, offlineRate: rate, premiumRate: rate, platformFeeRate: rate });
const amount = fc.integer({ min: 1, max: MAX_FEN });
const deal = amount.chain((amountFen) =>
  fc.record({ amountFen: fc.constant(amountFen), budgetFen: fc.option(fc.integer({ min: 0, max: MAX_FEN }), { nil: null }) }),
);
const people = fc.record({ agentId: fc.option(fc.constant('agent-1'), { nil: null }), closerId: fc.constant('closer-1') });

/** A deal's amount cut into 1 to 6 refunds, told in an arbitrary order: [before, total] of each. */
const refunds = (amountFen: number) =>
  fc
    .uniqueArray(fc.integer({ min: 1, max: Math.max(1, amountFen - 1) }), { maxLength: 5 })
    .map((cuts) => [0, ...cuts.filter((c) => c < amountFen).sort((a, b) => a - b), amountFen])
    .map((points) => points.slice(1).map((total, i) => ({ before: points[i], total })))
    .chain((slices) => fc.shuffledSubarray(slices, { minLength: slices.length, maxLength: slices.length }));

const exact = (baseFen: number, rateBp: number) => BigInt(baseFen) * BigInt(rateBp);

describe('commission arithmetic, for any amount, budget, rates and refunds', () => {
  it('makes integer, non-negative entries adding up to floor of their exact sum, each within a fen of its exact value', () => {
    fc.assert(
      fc.property(deal, rates, people, (d, r, who) => {
        const specs = dealShares(d, r, who);
        const shares = commissionShares(d, r, who);
        const exactSum = specs.reduce((sum, s) => sum + exact(s.baseFen, s.rateBp), 0n);
        expect(shares.every((s) => Number.isSafeInteger(s.amountFen) && s.amountFen >= 0)).toBe(true);
        expect(BigInt(shares.reduce((sum, s) => sum + s.amountFen, 0))).toBe(exactSum / BASIS_POINTS);
        for (const s of shares) {
          const x = exact(s.baseFen, s.rateBp);
          const floor = x / BASIS_POINTS;
          const ceil = (x + BASIS_POINTS - 1n) / BASIS_POINTS;
          expect(BigInt(s.amountFen) >= floor && BigInt(s.amountFen) <= ceil).toBe(true);
        }
      }),
    );
  });

  it('gives the shares as documented: online base with an agent only, a premium only over a known budget, a fee always', () => {
    fc.assert(
      fc.property(deal, rates, people, (d, r, who) => {
        const kinds = dealShares(d, r, who).map((s) => `${s.party}/${s.kind}`);
        expect(kinds.includes('online_agent/base')).toBe(who.agentId !== null);
        expect(kinds.includes('offline_closer/premium')).toBe(d.budgetFen !== null && d.amountFen > d.budgetFen);
        expect(kinds).toEqual(expect.arrayContaining(['offline_closer/base', 'platform/fee']));
        const premium = dealShares(d, r, who).find((s) => s.kind === 'premium');
        if (premium) expect(premium.baseFen).toBe(d.amountFen - d.budgetFen!);
      }),
    );
  });

  it('claws back in integers, never leaves any party below 0 along the way, and nets every party to 0 after a full refund', () => {
    fc.assert(
      fc.property(
        deal.chain((d) => fc.tuple(fc.constant(d), refunds(d.amountFen))),
        rates,
        people,
        ([d, slices], r, who) => {
          const shares = commissionShares(d, r, who).filter((s) => s.amountFen > 0);
          const net = new Map<string, number>();
          const add = (party: string, fen: number) => net.set(party, (net.get(party) ?? 0) + fen);
          for (const s of shares) add(s.party, s.amountFen);
          const entryNet = shares.map((s) => s.amountFen);
          for (const slice of slices) {
            shares.forEach((s, i) => {
              const fen = clawbackFen(s.amountFen, { dealAmountFen: d.amountFen, refundedBeforeFen: slice.before, refundedTotalFen: slice.total });
              expect(Number.isSafeInteger(fen) && fen <= 0).toBe(true);
              entryNet[i] += fen;
              add(s.party, fen);
              expect(entryNet[i]).toBeGreaterThanOrEqual(0);
            });
            for (const v of net.values()) expect(v).toBeGreaterThanOrEqual(0);
          }
          // Every refund told: the whole amount is refunded.
          expect(entryNet.every((v) => v === 0)).toBe(true);
          for (const v of net.values()) expect(v).toBe(0);
        },
      ),
    );
  });
});
