/** The five back-end services behind the gateway. */
export const SERVICE_NAMES = ['catalog', 'booking', 'coupons', 'leads', 'attribution'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];
