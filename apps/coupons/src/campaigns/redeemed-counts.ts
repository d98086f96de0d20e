/**
 * How many cards of each campaign are redeemed now, for campaign views. The cards repository
 * answers it (the module wires it), so that campaigns read no card SQL and import no card code.
 */
export abstract class RedeemedCounts {
  abstract redeemedByCampaign(campaignIds: string[]): Promise<Map<string, number>>;
}
