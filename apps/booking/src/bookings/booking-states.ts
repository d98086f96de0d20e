import { BookingStatus } from '@o2o/contracts';

/**
 * The transition table: each action, where it may start and where it ends. Anything else is a
 * conflict (409). created -> confirmed -> visited, with cancelled and no_show as ends; a
 * reschedule keeps a booking confirmed.
 */
export const BOOKING_ACTIONS = {
  confirm: { from: [BookingStatus.Created], to: BookingStatus.Confirmed },
  reschedule: { from: [BookingStatus.Confirmed], to: BookingStatus.Confirmed },
  cancel: { from: [BookingStatus.Created, BookingStatus.Confirmed], to: BookingStatus.Cancelled },
  checkIn: { from: [BookingStatus.Confirmed], to: BookingStatus.Visited },
  noShow: { from: [BookingStatus.Confirmed], to: BookingStatus.NoShow },
} as const satisfies Record<string, { from: readonly BookingStatus[]; to: BookingStatus }>;

export type BookingAction = keyof typeof BOOKING_ACTIONS;

export const canDo = (action: BookingAction, from: BookingStatus): boolean => (BOOKING_ACTIONS[action].from as readonly BookingStatus[]).includes(from);
