/** Message patterns the attribution service answers. */
export const ATTRIBUTION = {
  recordTouchpoints: 'attribution.touchpoints.record',
  funnel: 'attribution.funnel.get',
  setCommissionRules: 'attribution.rules.set',
  getCommissionRules: 'attribution.rules.get',
  getDealAttribution: 'attribution.deals.get',
  listConflicts: 'attribution.conflicts.list',
  listCommissions: 'attribution.commissions.list',
  createStatement: 'attribution.statements.create',
  getStatement: 'attribution.statements.get',
} as const;

export type AttributionPattern = (typeof ATTRIBUTION)[keyof typeof ATTRIBUTION];
