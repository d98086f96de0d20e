/**
 * Message patterns the coupons service answers. The gateway uses the campaign, card and payment
 * ones; redeem and reverse are for the booking service's deal flow.
 */
export const COUPONS = {
  createCampaign: 'coupons.campaigns.create',
  getCampaign: 'coupons.campaigns.get',
  listCampaigns: 'coupons.campaigns.list',
  purchaseCard: 'coupons.cards.purchase',
  getCard: 'coupons.cards.get',
  listCards: 'coupons.cards.list',
  quoteCard: 'coupons.cards.quote',
  voidCard: 'coupons.cards.void',
  /** Redeems a card for a deal. Idempotent on dealId. */
  redeemCard: 'coupons.cards.redeem',
  /** Undoes the redemption of a fully refunded deal. Idempotent on dealId. */
  reverseRedemption: 'coupons.cards.reverse',
  completePayment: 'coupons.payments.complete',
} as const;

export type CouponsPattern = (typeof COUPONS)[keyof typeof COUPONS];
