/** Why booking refuses a booking order or a deal (the `reason` of a 422), beside coupons' card reasons. */
export enum BookingRefusal {
  UnknownStore = 'unknown_store',
  StoreNotInCity = 'store_not_in_city',
  BrandNotInStore = 'brand_not_in_store',
  UnknownConsultation = 'unknown_consultation',
  UnknownBooking = 'unknown_booking',
  BookingNotAtStore = 'booking_not_at_store',
  /** A deal's staffId is not an active salesperson or manager of the deal's store. */
  StaffNotAtStore = 'staff_not_at_store',
  NoStore = 'no_store',
  OutsideOpeningHours = 'outside_opening_hours',
  NotOnSlotBoundary = 'not_on_slot_boundary',
  SlotInPast = 'slot_in_past',
  SlotFull = 'slot_full',
  CardNotFound = 'card_not_found',
  RefundOverAmount = 'refund_over_amount',
  FullyRefunded = 'fully_refunded',
}
