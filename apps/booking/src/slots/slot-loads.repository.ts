import { Injectable } from '@nestjs/common';
import { queryRows } from '@o2o/platform';
import { DataSource } from 'typeorm';

/** The slot_loads table: how many bookings hold each slot of a store. */
@Injectable()
export class SlotLoadsRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Takes a place in a slot, if one is left. One conditional upsert: concurrent takers queue on
   * the slot's row, and each sees the count the one before it left.
   */
  async take(storeId: string, slotStart: Date, capacity: number): Promise<boolean> {
    const rows = await queryRows(
      this.db,
      `INSERT INTO slot_loads (store_id, slot_start, booked) SELECT $1, $2, 1 WHERE $3 >= 1
       ON CONFLICT (store_id, slot_start) DO UPDATE SET booked = slot_loads.booked + 1 WHERE slot_loads.booked < $3
       RETURNING booked`,
      [storeId, slotStart, capacity],
    );
    return rows.length === 1;
  }

  async release(storeId: string, slotStart: Date): Promise<void> {
    await this.db.query('UPDATE slot_loads SET booked = booked - 1 WHERE store_id = $1 AND slot_start = $2 AND booked > 0', [storeId, slotStart]);
  }

  /** Places taken per slot start (epoch ms) in [from, to). */
  async between(storeId: string, from: Date, to: Date): Promise<Map<number, number>> {
    const rows = await this.db.query<{ slot_start: Date; booked: number }[]>(
      'SELECT slot_start, booked FROM slot_loads WHERE store_id = $1 AND slot_start >= $2 AND slot_start < $3',
      [storeId, from, to],
    );
    return new Map(rows.map((r) => [r.slot_start.getTime(), r.booked]));
  }
}
