import { Channel } from '../enums';

/**
 * Payloads of the booking and deal events (names in EVENTS), as the booking service will emit
 * them. Phones are normalised mainland mobile numbers.
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

export type BookingCreatedEvent = BookingFacts;
export type BookingConfirmedEvent = BookingFacts & { appointmentAt: string };
export type BookingVisitedEvent = BookingFacts;

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
  amountFen: number;
  discountFen: number;
  payableFen: number;
  budgetFen: number | null;
  closedAt: string;
}

export interface DealRefundedEvent {
  dealId: string;
  brandId: string;
  refundId: string;
  amountFen: number;
  refundedTotalFen: number;
  full: boolean;
  at: string;
}
