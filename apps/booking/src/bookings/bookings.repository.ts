import { Injectable } from '@nestjs/common';
import { BookingFacts, BookingKind, BookingStatus, Channel } from '@o2o/contracts';
import { queryRows } from '@o2o/platform';
import { DataSource } from 'typeorm';

export interface BookingRow {
  id: string;
  status: BookingStatus;
  kind: BookingKind;
  city: string;
  store_id: string | null;
  brand_ids: string[];
  consultation_id: string | null;
  lead_id: string | null;
  customer_name: string;
  phone: string;
  preferred_at: Date;
  appointment_at: Date | null;
  address: string | null;
  budget_fen: number | null;
  style: string | null;
  area_sqm: string | null;
  source_channel: Channel;
  source_campaign: string | null;
  source_agent_id: string | null;
  source_visitor_id: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

/** A booking with the owner of its lead (from lead_owners), who sees the customer's phone. */
export type BookingRecord = BookingRow & { lead_owner_id: string | null };

export type NewBooking = Omit<BookingRow, 'status' | 'lead_id' | 'appointment_at' | 'created_at' | 'updated_at' | 'area_sqm'> & { area_sqm: number | null };

export interface BookingFilter {
  storeId?: string;
  brandId?: string;
  status?: BookingStatus;
  from?: string;
  to?: string;
}

/** What every booking event carries. */
export const bookingFacts = (row: BookingRow, at: Date): BookingFacts => ({
  bookingId: row.id,
  consultationId: row.consultation_id,
  leadId: row.lead_id,
  phone: row.phone,
  city: row.city,
  storeId: row.store_id,
  brandIds: row.brand_ids,
  kind: row.kind,
  source: { channel: row.source_channel, campaign: row.source_campaign, agentId: row.source_agent_id, visitorId: row.source_visitor_id },
  at: at.toISOString(),
});

const WITH_OWNER = 'SELECT b.*, lo.owner_id AS lead_owner_id FROM bookings b LEFT JOIN lead_owners lo ON lo.lead_id = b.lead_id';

/** The bookings table. Status changes are conditional updates: no row back means a conflict. */
@Injectable()
export class BookingsRepository {
  constructor(private readonly db: DataSource) {}

  async insert(b: NewBooking): Promise<BookingRow> {
    const [row] = await queryRows<BookingRow>(
      this.db,
      `INSERT INTO bookings (id, status, kind, city, store_id, brand_ids, consultation_id, customer_name, phone, preferred_at, address, budget_fen, style,
         area_sqm, source_channel, source_campaign, source_agent_id, source_visitor_id, created_by)
       VALUES ($1, 'created', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING *`,
      [
        b.id,
        b.kind,
        b.city,
        b.store_id,
        b.brand_ids,
        b.consultation_id,
        b.customer_name,
        b.phone,
        b.preferred_at,
        b.address,
        b.budget_fen,
        b.style,
        b.area_sqm,
        b.source_channel,
        b.source_campaign,
        b.source_agent_id,
        b.source_visitor_id,
        b.created_by,
      ],
    );
    return row;
  }

  async find(id: string): Promise<BookingRecord | undefined> {
    const [row] = await this.db.query<BookingRecord[]>(`${WITH_OWNER} WHERE b.id = $1`, [id]);
    return row;
  }

  /**
   * Moves a booking from one of the statuses an action starts from, and from the appointment
   * the caller saw (so a concurrent reschedule is not overwritten). Undefined: a conflict.
   */
  async move(
    id: string,
    change: { from: readonly BookingStatus[]; to: BookingStatus; seenAppointment: Date | null; appointmentAt?: Date | null; storeId?: string },
  ): Promise<BookingRow | undefined> {
    const [row] = await queryRows<BookingRow>(
      this.db,
      `UPDATE bookings SET status = $3, appointment_at = CASE WHEN $5::boolean THEN $6::timestamptz ELSE appointment_at END,
         store_id = coalesce(store_id, $7), updated_at = now()
       WHERE id = $1 AND status = ANY($2) AND appointment_at IS NOT DISTINCT FROM $4::timestamptz
       RETURNING *`,
      [id, change.from, change.to, change.seenAppointment, change.appointmentAt !== undefined, change.appointmentAt ?? null, change.storeId ?? null],
    );
    return row;
  }

  /** The lead a booking became; the store too, when the booking named none and routing chose one. */
  async linkLead(bookingId: string, leadId: string, storeId: string | null): Promise<void> {
    // The lead's store may be known already: its assignment can arrive before the link.
    await this.db.query(
      `UPDATE bookings SET lead_id = $2, store_id = coalesce(store_id, $3, (SELECT store_id FROM lead_owners WHERE lead_id = $2)), updated_at = now()
       WHERE id = $1`,
      [bookingId, leadId, storeId],
    );
  }

  async adoptStoreOfLead(leadId: string, storeId: string): Promise<void> {
    await this.db.query('UPDATE bookings SET store_id = $2, updated_at = now() WHERE lead_id = $1 AND store_id IS NULL', [leadId, storeId]);
  }

  /** Newest first, after the cursor's id (ids are time-ordered). From/to bound the appointment, or the preferred time before one. */
  async page(filter: BookingFilter, limit: number, afterId?: string): Promise<BookingRecord[]> {
    return this.db.query<BookingRecord[]>(
      `${WITH_OWNER}
       WHERE ($1::uuid IS NULL OR b.id < $1) AND ($2::uuid IS NULL OR b.store_id = $2) AND ($3::uuid IS NULL OR $3 = ANY(b.brand_ids))
         AND ($4::text IS NULL OR b.status = $4)
         AND ($5::timestamptz IS NULL OR coalesce(b.appointment_at, b.preferred_at) >= $5)
         AND ($6::timestamptz IS NULL OR coalesce(b.appointment_at, b.preferred_at) < $6)
       ORDER BY b.id DESC LIMIT $7`,
      [afterId ?? null, filter.storeId ?? null, filter.brandId ?? null, filter.status ?? null, filter.from ?? null, filter.to ?? null, limit],
    );
  }
}
