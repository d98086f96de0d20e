import { LeadStatus } from '../enums';
import type { StaffRole, Team } from './staff.dto';

/**
 * Payloads of the lead events (names in EVENTS). Each carries what attribution's flying-order
 * check and partner webhooks need: the phone, store, owner, brands, SLA and protection.
 */
export interface LeadFacts {
  leadId: string;
  /** Normalised mainland mobile number. */
  phone: string;
  city: string;
  storeId: string | null;
  ownerId: string | null;
  brandIds: string[];
  status: LeadStatus;
  slaDueAt: string | null;
  protectedUntil: string;
  at: string;
}

export type LeadCreatedEvent = LeadFacts;

export interface LeadAssignedEvent extends LeadFacts {
  reason: string;
}

export interface LeadReassignedEvent extends LeadFacts {
  fromStaffId: string | null;
  toStaffId: string;
  reason: string;
}

export interface LeadBookingLinkedEvent extends LeadFacts {
  bookingId: string;
  /** The brands this booking brought that the lead did not name before (absent in events written before it was added). */
  addedBrandIds?: string[];
}

/**
 * staff.changed: a staff member as the roster has them after a create or an update (and, once,
 * for everyone already on it). Booking keeps its copy of who may close a deal at a store from it.
 */
export interface StaffChangedEvent {
  staffId: string;
  storeId: string | null;
  brandIds: string[];
  role: StaffRole;
  team: Team;
  active: boolean;
  at: string;
}
