/**
 * One customer's journey, used as the examples of the OpenAPI document: the same store, brand,
 * booking, card and deal wherever a view names them, so that the examples read as one story.
 */
export const EXAMPLE = {
  storeId: '0190f1c2-7a10-7000-8000-0000000000a1',
  brandId: '0190f1c2-7a10-7000-8000-0000000000b1',
  productId: '0190f1c2-7a10-7000-8000-0000000000c1',
  staffId: '0190f1c2-7a10-7000-8000-0000000000d1',
  agentId: '0190f1c2-7a10-7000-8000-0000000000d2',
  campaignId: '0190f1c2-7a10-7000-8000-0000000000e1',
  consultationId: '0190f1c2-7a10-7000-8000-0000000000f1',
  bookingId: '0190f1c2-7a10-7000-8000-000000000101',
  leadId: '0190f1c2-7a10-7000-8000-000000000111',
  dealId: '0190f1c2-7a10-7000-8000-000000000121',
  refundId: '0190f1c2-7a10-7000-8000-000000000131',
  commissionId: '0190f1c2-7a10-7000-8000-000000000141',
  statementId: '0190f1c2-7a10-7000-8000-000000000151',
  eventId: '0190f1c2-7a10-7000-8000-000000000161',
  apiKeyId: '0190f1c2-7a10-7000-8000-000000000171',
  deliveryId: '0190f1c2-7a10-7000-8000-000000000181',
  orderId: '0190f1c2-7a10-7000-8000-000000000191',
  visitorId: 'v-7f3a9c',
  /** A card sold through seo (channel code 10), Luhn-checked. */
  cardNo: '1012345678901235',
  campaign: 'spring-1yuan',
  phone: '13812345678',
  phoneMasked: '138****5678',
  /** A moment in the journey, and one an hour, a day and a month on. */
  at: '2026-03-14T06:30:00.000Z',
  anHourLater: '2026-03-14T07:30:00.000Z',
  aDayLater: '2026-03-15T06:30:00.000Z',
  aMonthLater: '2026-04-14T06:30:00.000Z',
  day: '2026-03-14',
  /** A page's cursor as the services make it: the last item's key. */
  nextCursor: 'WyIwMTkwZjFjMi03YTEwLTcwMDAtODAwMC0wMDAwMDAwMDAwYzEiXQ',
  /** A week on: the partial refund, inside the commission approval delay. */
  aWeekLater: '2026-03-21T06:30:00.000Z',
  /** A month before: when the store, brand, product and card campaign were set up. */
  aMonthEarlier: '2026-02-14T06:30:00.000Z',
} as const;
