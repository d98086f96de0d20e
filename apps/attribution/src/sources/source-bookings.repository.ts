import { Injectable } from '@nestjs/common';
import { Channel } from '@o2o/contracts';
import { DataSource } from 'typeorm';

/** A booking order as attribution keeps it: whose phone, from which source, when. */
export interface BookingFact {
  bookingId: string;
  phone: string;
  consultationId: string | null;
  storeId: string | null;
  channel: Channel;
  campaign: string | null;
  agentId: string | null;
  visitorId: string | null;
  budgetFen: number | null;
  at: Date;
}

interface BookingRow {
  booking_id: string;
  phone: string;
  consultation_id: string | null;
  store_id: string | null;
  channel: Channel;
  campaign: string | null;
  agent_id: string | null;
  visitor_id: string | null;
  budget_fen: string | null;
  at: Date;
}

const toBookingFact = (r: BookingRow): BookingFact => ({
  bookingId: r.booking_id,
  phone: r.phone,
  consultationId: r.consultation_id,
  storeId: r.store_id,
  channel: r.channel,
  campaign: r.campaign,
  agentId: r.agent_id,
  visitorId: r.visitor_id,
  budgetFen: r.budget_fen === null ? null : Number(r.budget_fen),
  at: r.at,
});

/** The source_bookings table: attribution's copy of booking orders, from booking.created; a later telling wins. */
@Injectable()
export class SourceBookingsRepository {
  constructor(private readonly db: DataSource) {}

  async record(f: BookingFact): Promise<void> {
    await this.db.query(
      `INSERT INTO source_bookings (booking_id, phone, consultation_id, store_id, channel, campaign, agent_id, visitor_id, budget_fen, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (booking_id) DO UPDATE SET phone = EXCLUDED.phone, consultation_id = EXCLUDED.consultation_id, store_id = EXCLUDED.store_id,
         channel = EXCLUDED.channel, campaign = EXCLUDED.campaign, agent_id = EXCLUDED.agent_id, visitor_id = EXCLUDED.visitor_id,
         budget_fen = EXCLUDED.budget_fen, at = EXCLUDED.at
       WHERE source_bookings.at < EXCLUDED.at`,
      [f.bookingId, f.phone, f.consultationId, f.storeId, f.channel, f.campaign, f.agentId, f.visitorId, f.budgetFen, f.at],
    );
  }

  async find(bookingId: string): Promise<BookingFact | undefined> {
    const [row] = await this.db.query<BookingRow[]>('SELECT * FROM source_bookings WHERE booking_id = $1', [bookingId]);
    return row && toBookingFact(row);
  }

  /** The phone's bookings, newest first. */
  async ofPhone(phone: string, limit = 50): Promise<BookingFact[]> {
    const rows = await this.db.query<BookingRow[]>('SELECT * FROM source_bookings WHERE phone = $1 ORDER BY at DESC, booking_id LIMIT $2', [phone, limit]);
    return rows.map(toBookingFact);
  }
}
