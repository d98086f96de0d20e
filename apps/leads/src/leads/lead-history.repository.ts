import { Injectable } from '@nestjs/common';
import { LeadAction, LeadHistoryEntry } from '@o2o/contracts';
import { queryRows } from '@o2o/platform';
import { DataSource } from 'typeorm';

/** A row of lead_history. */
export interface LeadHistoryRow {
  seq: string;
  lead_id: string;
  at: Date;
  action: LeadAction;
  from_staff_id: string | null;
  to_staff_id: string | null;
  reason: string | null;
}

export interface NewHistoryEntry {
  at: Date;
  action: LeadAction;
  fromStaffId?: string | null;
  toStaffId?: string | null;
  reason?: string | null;
}

const entryOf = (row: LeadHistoryRow): LeadHistoryEntry => ({
  at: row.at.toISOString(),
  action: row.action,
  fromStaffId: row.from_staff_id,
  toStaffId: row.to_staff_id,
  reason: row.reason,
});

/** Every decision and event in a lead's life, with its reason. */
@Injectable()
export class LeadHistoryRepository {
  constructor(private readonly db: DataSource) {}

  async add(leadId: string, entry: NewHistoryEntry): Promise<void> {
    await this.db.query('INSERT INTO lead_history (lead_id, at, action, from_staff_id, to_staff_id, reason) VALUES ($1, $2, $3, $4, $5, $6)', [
      leadId,
      entry.at,
      entry.action,
      entry.fromStaffId ?? null,
      entry.toStaffId ?? null,
      entry.reason ?? null,
    ]);
  }

  /** Each lead's history, oldest first. */
  async of(leadIds: string[]): Promise<Map<string, LeadHistoryEntry[]>> {
    const rows = await queryRows<LeadHistoryRow>(this.db, 'SELECT * FROM lead_history WHERE lead_id = ANY($1::uuid[]) ORDER BY lead_id, seq', [leadIds]);
    const byLead = new Map<string, LeadHistoryEntry[]>(leadIds.map((id) => [id, []]));
    for (const row of rows) byLead.get(row.lead_id)?.push(entryOf(row));
    return byLead;
  }

  /** How many leads each person was given since a moment (the start of their day). */
  async assignedSince(staffIds: string[], since: Date): Promise<Map<string, number>> {
    const rows = await queryRows<{ to_staff_id: string; n: number }>(
      this.db,
      `SELECT to_staff_id, count(*)::int AS n FROM lead_history
       WHERE to_staff_id = ANY($1::uuid[]) AND action IN ('assigned', 'reassigned') AND at >= $2 GROUP BY to_staff_id`,
      [staffIds, since],
    );
    return new Map(rows.map((r) => [r.to_staff_id, r.n]));
  }
}
