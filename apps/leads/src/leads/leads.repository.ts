import { Injectable } from '@nestjs/common';
import { LeadFacts, LeadHistoryEntry, LeadStatus, LeadView, maskPhone } from '@o2o/contracts';
import { queryRows } from '@o2o/platform';
import { DataSource } from 'typeorm';

/** A row of the leads table as Postgres returns it. */
export interface LeadRow {
  id: string;
  phone: string;
  city: string;
  store_id: string | null;
  brand_ids: string[];
  booking_ids: string[];
  owner_id: string | null;
  status: LeadStatus;
  /** How many times the lead has been given to someone; names its SLA timer. */
  assignment_no: number;
  sla_due_at: Date | null;
  protected_until: Date;
  created_at: Date;
  updated_at: Date;
}

export type NewLead = Pick<LeadRow, 'id' | 'phone' | 'city' | 'store_id' | 'brand_ids' | 'booking_ids' | 'protected_until' | 'created_at'>;

/** Who reads a lead: the repository filters by it. */
export interface LeadScope {
  brandId?: string;
  storeId?: string;
  staffId?: string;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const leadFacts = (row: LeadRow, at: Date): LeadFacts => ({
  leadId: row.id,
  phone: row.phone,
  city: row.city,
  storeId: row.store_id,
  ownerId: row.owner_id,
  brandIds: row.brand_ids,
  status: row.status,
  slaDueAt: iso(row.sla_due_at),
  protectedUntil: row.protected_until.toISOString(),
  at: at.toISOString(),
});

export function leadView(row: LeadRow, history: LeadHistoryEntry[], showPhone: boolean): LeadView {
  const view: LeadView = {
    id: row.id,
    bookingIds: row.booking_ids,
    phoneMasked: maskPhone(row.phone),
    city: row.city,
    storeId: row.store_id,
    brandIds: row.brand_ids,
    ownerId: row.owner_id,
    status: row.status,
    slaDueAt: iso(row.sla_due_at),
    protectedUntil: row.protected_until.toISOString(),
    history,
    createdAt: row.created_at.toISOString(),
  };
  if (showPhone) view.phone = row.phone;
  return view;
}

const OPEN = `status NOT IN ('won', 'lost')`;

/** Every query of the leads table. Inside a transaction its queries join it. */
@Injectable()
export class LeadsRepository {
  constructor(private readonly db: DataSource) {}

  /** A new open lead, or nothing when the phone already has one (the unique partial index decides). */
  async insertOpen(row: NewLead): Promise<LeadRow | undefined> {
    const [inserted] = await queryRows<LeadRow>(
      this.db,
      `INSERT INTO leads (id, phone, city, store_id, brand_ids, booking_ids, status, protected_until, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'unassigned', $7, $8, $8)
       ON CONFLICT (phone) WHERE ${OPEN} DO NOTHING RETURNING *`,
      [row.id, row.phone, row.city, row.store_id, row.brand_ids, row.booking_ids, row.protected_until, row.created_at],
    );
    return inserted;
  }

  async find(id: string, scope: LeadScope = {}): Promise<LeadRow | undefined> {
    const [row] = await queryRows<LeadRow>(
      this.db,
      `SELECT * FROM leads WHERE id = $1 AND ($2::uuid IS NULL OR $2 = ANY(brand_ids))
         AND ($3::uuid IS NULL OR store_id = $3 OR owner_id = $4)`,
      [id, scope.brandId ?? null, scope.storeId ?? null, scope.staffId ?? null],
    );
    return row;
  }

  /** The lead, locked until the transaction ends. */
  async lock(id: string): Promise<LeadRow | undefined> {
    const [row] = await queryRows<LeadRow>(this.db, 'SELECT * FROM leads WHERE id = $1 FOR UPDATE', [id]);
    return row;
  }

  /** The phone's open lead, locked. */
  async lockOpenByPhone(phone: string): Promise<LeadRow | undefined> {
    const [row] = await queryRows<LeadRow>(this.db, `SELECT * FROM leads WHERE phone = $1 AND ${OPEN} FOR UPDATE`, [phone]);
    return row;
  }

  /** Newest first, after the cursor's id (ids are time-ordered), within the reader's scope. */
  async page(filter: LeadScope & { limit: number; beforeId?: string; ownerId?: string; inStore?: string; status?: LeadStatus }): Promise<LeadRow[]> {
    return queryRows<LeadRow>(
      this.db,
      `SELECT * FROM leads
       WHERE ($1::uuid IS NULL OR id < $1) AND ($2::uuid IS NULL OR owner_id = $2) AND ($3::uuid IS NULL OR store_id = $3)
         AND ($4::text IS NULL OR status = $4) AND ($5::uuid IS NULL OR $5 = ANY(brand_ids))
         AND ($6::uuid IS NULL OR store_id = $6 OR owner_id = $7)
       ORDER BY id DESC LIMIT $8`,
      [
        filter.beforeId ?? null,
        filter.ownerId ?? null,
        filter.inStore ?? null,
        filter.status ?? null,
        filter.brandId ?? null,
        filter.storeId ?? null,
        filter.staffId ?? null,
        filter.limit,
      ],
    );
  }

  /** A booking or touch joining the lead: its store (if the lead had none), brands and booking ids. */
  async merge(id: string, change: { storeId: string | null; brandIds: string[]; bookingIds: string[]; at: Date }): Promise<LeadRow> {
    const [row] = await queryRows<LeadRow>(
      this.db,
      `UPDATE leads SET store_id = coalesce(store_id, $2), brand_ids = $3, booking_ids = $4, updated_at = $5 WHERE id = $1 RETURNING *`,
      [id, change.storeId, change.brandIds, change.bookingIds, change.at],
    );
    return row;
  }

  /**
   * Gives the lead to someone, if it is still as the caller read it (same status set and
   * assignment number): the conditional update that keeps two deciders from both assigning it.
   */
  async assign(
    id: string,
    expected: { statuses: LeadStatus[]; assignmentNo: number },
    to: { ownerId: string; storeId: string; slaDueAt: Date; at: Date },
  ): Promise<LeadRow | undefined> {
    const [row] = await queryRows<LeadRow>(
      this.db,
      `UPDATE leads SET owner_id = $4, store_id = $5, status = 'assigned', assignment_no = assignment_no + 1, sla_due_at = $6, updated_at = $7
       WHERE id = $1 AND status = ANY($2) AND assignment_no = $3 RETURNING *`,
      [id, expected.statuses, expected.assignmentNo, to.ownerId, to.storeId, to.slaDueAt, to.at],
    );
    return row;
  }

  /** Puts the lead in a store's queue, owned by nobody. */
  async queue(id: string, expected: { statuses: LeadStatus[]; assignmentNo: number }, storeId: string | null, at: Date): Promise<LeadRow | undefined> {
    const [row] = await queryRows<LeadRow>(
      this.db,
      `UPDATE leads SET owner_id = NULL, store_id = coalesce($4, store_id), status = 'unassigned', sla_due_at = NULL, updated_at = $5
       WHERE id = $1 AND status = ANY($2) AND assignment_no = $3 RETURNING *`,
      [id, expected.statuses, expected.assignmentNo, storeId, at],
    );
    return row;
  }

  /** Moves the status only from one that allows it (and, when given, only the owner's lead); no row is a conflict. */
  async move(id: string, from: LeadStatus[], to: LeadStatus, at: Date, ownerId?: string): Promise<LeadRow | undefined> {
    const [row] = await queryRows<LeadRow>(
      this.db,
      `UPDATE leads SET status = $3, sla_due_at = NULL, updated_at = $4
       WHERE id = $1 AND status = ANY($2) AND ($5::uuid IS NULL OR owner_id = $5) RETURNING *`,
      [id, from, to, at, ownerId ?? null],
    );
    return row;
  }

  /** Open leads (assigned or contacted) each person holds. */
  async openCounts(staffIds: string[]): Promise<Map<string, number>> {
    const rows = await queryRows<{ owner_id: string; n: number }>(
      this.db,
      `SELECT owner_id, count(*)::int AS n FROM leads WHERE owner_id = ANY($1::uuid[]) AND status IN ('assigned', 'contacted') GROUP BY owner_id`,
      [staffIds],
    );
    return new Map(rows.map((r) => [r.owner_id, r.n]));
  }

  /** Waiting leads (of one store, or all), oldest first, locked; those another transaction holds are skipped. */
  async lockQueued(storeId: string | null, limit: number): Promise<LeadRow[]> {
    return queryRows<LeadRow>(
      this.db,
      `SELECT * FROM leads WHERE status = 'unassigned' AND ($1::uuid IS NULL OR store_id = $1)
       ORDER BY created_at, id LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [storeId, limit],
    );
  }

  /** Assigned leads whose contact SLA has passed: their timers' safety net. */
  async slaOverdue(now: Date, limit: number): Promise<{ id: string; assignment_no: number }[]> {
    return queryRows(this.db, `SELECT id, assignment_no FROM leads WHERE status = 'assigned' AND sla_due_at <= $1 ORDER BY sla_due_at LIMIT $2`, [now, limit]);
  }
}
