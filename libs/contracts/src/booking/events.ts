import { Channel } from '../enums';

/**
 * Payloads of the booking and deal events (names in EVENTS), as the booking service emits them.
 * Phones are normalised mainland mobile numbers.
 */
export interface BookingSource {
  channel: Channel;
  campaign: string | null;
  agentId: string | null;
  visitorId: string | null;
}

export interface ConsultationRecordedEvent {
  consultationId: string;
  phone: string | null;
  city: string;
  source: BookingSource;
  budgetFen: number | null;
  recordedAt: string;
}

export interface BookingFacts {
  bookingId: string;
  consultationId: string | null;
  leadId: string | null;
  phone: string;
  city: string;
  storeId: string | null;
  brandIds: string[];
  kind: 'store_visit' | 'home_measure';
  source: BookingSource;
  at: string;
}

export type BookingCreatedEvent = BookingFacts & { budgetFen: number | null };
export type BookingConfirmedEvent = BookingFacts & { appointmentAt: string };
export type BookingRescheduledEvent = BookingFacts & { appointmentAt: string; previousAppointmentAt: string };
export type BookingVisitedEvent = BookingFacts & { visitedAt: string };
export type BookingCancelledEvent = BookingFacts & { reason: string };
export type BookingNoShowEvent = BookingFacts & { appointmentAt: string | null };

export interface DealClosedEvent {
  dealId: string;
  storeId: string;
  brandId: string;
  staffId: string;
  phone: string;
  city: string;
  bookingId: string | null;
  consultationId: string | null;
  leadId: string | null;
  cardNo: string | null;
  /** The redemption's source (the card's), else the booking's; null for a walk-in without a card. */
  source: BookingSource | null;
  amountFen: number;
  discountFen: number;
  payableFen: number;
  budgetFen: number | null;
  closedAt: string;
}

export interface DealRefundedEvent {
  dealId: string;
  storeId: string;
  brandId: string;
  cardNo: string | null;
  refundId: string;
  amountFen: number;
  refundedTotalFen: number;
  full: boolean;
  at: string;
}
