import { Injectable } from '@nestjs/common';
import { BookingChangeView, BookingStatus } from '@o2o/contracts';
import { newId } from '@o2o/platform';
import { DataSource } from 'typeorm';

interface BookingChangeRow {
  from_status: BookingStatus | null;
  to_status: BookingStatus;
  changed_by: string | null;
  reason: string | null;
  appointment_at: Date | null;
  at: Date;
}

export interface BookingChange {
  from: BookingStatus | null;
  to: BookingStatus;
  by: string | null;
  reason: string | null;
  appointmentAt: Date | null;
}

/** The booking_changes table: who moved a booking, when and why. */
@Injectable()
export class BookingChangesRepository {
  constructor(private readonly db: DataSource) {}

  async add(bookingId: string, c: BookingChange): Promise<void> {
    await this.db.query(
      'INSERT INTO booking_changes (id, booking_id, from_status, to_status, changed_by, reason, appointment_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [newId(), bookingId, c.from, c.to, c.by, c.reason, c.appointmentAt],
    );
  }

  async of(bookingId: string): Promise<BookingChangeView[]> {
    const rows = await this.db.query<BookingChangeRow[]>('SELECT * FROM booking_changes WHERE booking_id = $1 ORDER BY at, id', [bookingId]);
    return rows.map((r) => ({
      from: r.from_status,
      to: r.to_status,
      by: r.changed_by,
      reason: r.reason,
      appointmentAt: r.appointment_at && r.appointment_at.toISOString(),
      at: r.at.toISOString(),
    }));
  }
}
