import { clawbackFen, commissionShares, exactFen, refundSliceProblem, splitByRunningFloor } from './commission.rules';

const RULES = { onlineRate: 100, offlineRate: 200, premiumRate: 500, platformFeeRate: 300 };
const people = { agentId: 'agent-1', closerId: 'closer-1' };
const amounts = (shares: { party: string; kind: string; amountFen: number }[]) => shares.map((s) => `${s.party}/${s.kind}=${s.amountFen}`);

describe('commission arithmetic', () => {
  it.each([
    [
      'the golden path: 7,000 yuan on a 4,000 yuan budget',
      { amountFen: 700_000, budgetFen: 400_000 },
      people,
      ['online_agent/base=7000', 'offline_closer/base=14000', 'offline_closer/premium=15000', 'platform/fee=21000'],
    ],
    [
      'no agent known: no online share',
      { amountFen: 700_000, budgetFen: 400_000 },
      { agentId: null, closerId: 'c' },
      ['offline_closer/base=14000', 'offline_closer/premium=15000', 'platform/fee=21000'],
    ],
    [
      'no budget known: no premium',
      { amountFen: 700_000, budgetFen: null },
      people,
      ['online_agent/base=7000', 'offline_closer/base=14000', 'platform/fee=21000'],
    ],
    [
      'amount under the budget: no premium',
      { amountFen: 300_000, budgetFen: 400_000 },
      people,
      ['online_agent/base=3000', 'offline_closer/base=6000', 'platform/fee=9000'],
    ],
    [
      'amount equal to the budget: no premium',
      { amountFen: 400_000, budgetFen: 400_000 },
      people,
      ['online_agent/base=4000', 'offline_closer/base=8000', 'platform/fee=12000'],
    ],
    // 199 × 1% = 1.99, × 2% = 3.98 (5.97), × 3% = 5.97 (11.94): floor of the running total each time.
    ['fractions carried by the running total', { amountFen: 199, budgetFen: null }, people, ['online_agent/base=1', 'offline_closer/base=4', 'platform/fee=6']],
    [
      'a 1-fen deal makes 0-fen shares',
      { amountFen: 1, budgetFen: 0 },
      people,
      ['online_agent/base=0', 'offline_closer/base=0', 'offline_closer/premium=0', 'platform/fee=0'],
    ],
  ])('%s', (_, deal, who, expected) => {
    expect(amounts(commissionShares(deal, RULES, who))).toEqual(expected);
  });

  it('never loses a fen to rounding each share down on its own', () => {
    // Three shares of 0.5 fen each: rounded one by one they would make 0; their sum is 1.5, floor 1.
    const shares = splitByRunningFloor([
      { party: 'online_agent', kind: 'base', staffId: 'a', baseFen: 1, rateBp: 5000 },
      { party: 'offline_closer', kind: 'base', staffId: 'c', baseFen: 1, rateBp: 5000 },
      { party: 'platform', kind: 'fee', staffId: null, baseFen: 1, rateBp: 5000 },
    ]);
    expect(shares.map((s) => s.amountFen)).toEqual([0, 1, 0]);
    expect(shares[1].basis).toBe('1 fen × 5000 bp / 10000 = 0.5 fen; running floor 1 − 0 = 1 fen');
  });

  it.each([
    [7000, 700_000, 0, 700_000, -7000],
    [7000, 700_000, 0, 350_000, -3500],
    [7000, 700_000, 350_000, 700_000, -3500],
    // 10 fen refunded in thirds of 3, 3, 4 of a 10-fen deal, on an entry of 1 fen: 0, 0, -1.
    [1, 10, 0, 3, 0],
    [1, 10, 3, 6, 0],
    [1, 10, 6, 10, -1],
    [3, 7, 0, 1, 0],
    [3, 7, 1, 3, -1],
    [3, 7, 3, 7, -2],
  ])('clawback of an entry of %d on a deal of %d, refunded %d → %d: %d', (entry, amount, before, total, expected) => {
    expect(clawbackFen(entry, { dealAmountFen: amount, refundedBeforeFen: before, refundedTotalFen: total })).toBe(expected);
  });

  it.each([
    [{ dealAmountFen: 1000, refundedBeforeFen: 0, refundedTotalFen: 1000 }, undefined],
    [{ dealAmountFen: 1000, refundedBeforeFen: 400, refundedTotalFen: 1000 }, undefined],
    [{ dealAmountFen: 1000, refundedBeforeFen: 400, refundedTotalFen: 1001 }, '1001 fen refunded of a 1000 fen deal'],
    [{ dealAmountFen: 1000, refundedBeforeFen: 400, refundedTotalFen: 400 }, 'the refund covers no amount'],
    [{ dealAmountFen: 1000, refundedBeforeFen: -1, refundedTotalFen: 400 }, 'the refund covers no amount'],
    [{ dealAmountFen: 1000, refundedBeforeFen: 0.5, refundedTotalFen: 400 }, 'amounts are not whole fen'],
  ])('refund slice %j: %s', (slice, problem) => {
    expect(refundSliceProblem(slice)).toBe(problem);
  });

  it.each([
    [70_000_000n, '7000'],
    [70_005_000n, '7000.5'],
    [19_900n, '1.99'],
    [1n, '0.0001'],
  ])('writes %s fen·bp as %s fen', (n, text) => {
    expect(exactFen(n)).toBe(text);
  });
});
