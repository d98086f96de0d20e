/** Message patterns the booking service answers. */
export const BOOKING = {
  recordConsultation: 'booking.consultations.record',
  getConsultation: 'booking.consultations.get',
  createBooking: 'booking.bookings.create',
  getBooking: 'booking.bookings.get',
  listBookings: 'booking.bookings.list',
  confirmBooking: 'booking.bookings.confirm',
  rescheduleBooking: 'booking.bookings.reschedule',
  cancelBooking: 'booking.bookings.cancel',
  checkInBooking: 'booking.bookings.check_in',
  markNoShow: 'booking.bookings.no_show',
  listSlots: 'booking.slots.list',
  /** Closes a deal; with a card, redeems it through coupons in a saga. Idempotent on the request id. */
  closeDeal: 'booking.deals.close',
  getDeal: 'booking.deals.get',
  listDeals: 'booking.deals.list',
  refundDeal: 'booking.deals.refund',
} as const;

export type BookingPattern = (typeof BOOKING)[keyof typeof BOOKING];
