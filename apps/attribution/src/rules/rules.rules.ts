import { CommissionRulesDto, FieldError, MAX_RATE_BP } from '@o2o/contracts';
import { CommissionRules } from './commission-rules.repository';

/** The shares of the amount itself (agent, closer, platform) may together take at most all of it. */
export function rulesProblems(rules: CommissionRulesDto): FieldError[] {
  const shares = rules.onlineRate + rules.offlineRate + rules.platformFeeRate;
  if (shares <= MAX_RATE_BP) return [];
  const message = `onlineRate + offlineRate + platformFeeRate is ${shares} basis points; at most ${MAX_RATE_BP} (100%)`;
  return ['onlineRate', 'offlineRate', 'platformFeeRate'].map((field) => ({ field, message }));
}

/** A PUT that repeats the rules in force makes no new version. */
export function sameRules(a: CommissionRulesDto, b: CommissionRules): boolean {
  return (
    a.onlineRate === b.onlineRate &&
    a.offlineRate === b.offlineRate &&
    a.premiumRate === b.premiumRate &&
    a.platformFeeRate === b.platformFeeRate &&
    a.attributionWindowDays === b.attributionWindowDays &&
    a.approvalDelayDays === b.approvalDelayDays
  );
}
