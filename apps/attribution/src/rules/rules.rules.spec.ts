import { rulesProblems, sameRules } from './rules.rules';

const rules = { onlineRate: 100, offlineRate: 200, premiumRate: 500, platformFeeRate: 300, attributionWindowDays: 90, approvalDelayDays: 15 };

describe('commission rules', () => {
  it.each([
    [rules, []],
    [{ ...rules, onlineRate: 5000, offlineRate: 2500, platformFeeRate: 2500 }, []],
    [{ ...rules, onlineRate: 5000, offlineRate: 2500, platformFeeRate: 2501 }, ['onlineRate', 'offlineRate', 'platformFeeRate']],
    // The premium is a share of the amount over budget, not of the amount: it is not in the sum.
    [{ ...rules, onlineRate: 5000, offlineRate: 5000, platformFeeRate: 0, premiumRate: 10000 }, []],
  ])('%j: problems with %j', (dto, fields) => {
    expect(rulesProblems(dto).map((p) => p.field)).toEqual(fields);
  });

  it.each([
    [{}, true],
    [{ onlineRate: 101 }, false],
    [{ premiumRate: 0 }, false],
    [{ attributionWindowDays: 30 }, false],
    [{ approvalDelayDays: 0 }, false],
  ])('a PUT changing %j repeats the rules in force: %s', (change, same) => {
    expect(sameRules({ ...rules, ...change }, { ...rules, version: 1, effectiveFrom: new Date() })).toBe(same);
  });
});
