import { Injectable } from '@nestjs/common';
import { CommissionKind, CommissionParty, CommissionStatus, CommissionView } from '@o2o/contracts';
import { queryRows } from '@o2o/platform';
import { DataSource } from 'typeorm';

/** One line of the ledger. */
export interface Commission {
  id: string;
  dealId: string;
  storeId: string;
  staffId: string | null;
  party: CommissionParty;
  kind: CommissionKind;
  amountFen: number;
  status: CommissionStatus;
  clawbackOf: string | null;
  refundId: string | null;
  basis: string;
  at: Date;
  approveAfter: Date;
  statementId: string | null;
}

export type NewCommission = Omit<Commission, 'statementId'>;

interface CommissionRow {
  id: string;
  deal_id: string;
  store_id: string;
  staff_id: string | null;
  party: CommissionParty;
  kind: CommissionKind;
  amount_fen: string;
  status: CommissionStatus;
  clawback_of: string | null;
  refund_id: string | null;
  basis: string;
  at: Date;
  approve_after: Date;
  statement_id: string | null;
  created_at: Date;
}

const toCommission = (r: CommissionRow): Commission => ({
  id: r.id,
  dealId: r.deal_id,
  storeId: r.store_id,
  staffId: r.staff_id,
  party: r.party,
  kind: r.kind,
  amountFen: Number(r.amount_fen),
  status: r.status,
  clawbackOf: r.clawback_of,
  refundId: r.refund_id,
  basis: r.basis,
  at: r.at,
  approveAfter: r.approve_after,
  statementId: r.statement_id,
});

export const toCommissionView = (c: Commission): CommissionView => ({
  id: c.id,
  dealId: c.dealId,
  staffId: c.staffId,
  party: c.party,
  kind: c.kind,
  amountFen: c.amountFen,
  status: c.status,
  clawbackOf: c.clawbackOf,
  refundId: c.refundId,
  at: c.at.toISOString(),
  approveAfter: c.approveAfter.toISOString(),
  statementId: c.statementId,
});

export interface CommissionFilter {
  staffId?: string;
  status?: CommissionStatus;
  from?: Date;
  to?: Date;
}

/** What one statement settled for one person (staffId null: the platform). */
export interface StatementTotal {
  staffId: string | null;
  approvedFen: number;
  clawbackFen: number;
  entries: number;
}

/**
 * The commissions table: the ledger. Amounts are written once (a trigger refuses any other
 * change); a refund adds clawback rows; only status and statement move, each by a conditional
 * update on the status it leaves.
 */
@Injectable()
export class CommissionsRepository {
  constructor(private readonly db: DataSource) {}

  /** Inserts the entries; one already there (the same deal, party and kind, or refund and entry) is kept as it is. */
  async insert(entries: NewCommission[]): Promise<number> {
    let inserted = 0;
    for (const c of entries) {
      const rows = await queryRows(
        this.db,
        `INSERT INTO commissions (id, deal_id, store_id, staff_id, party, kind, amount_fen, status, clawback_of, refund_id, basis, at, approve_after)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT DO NOTHING RETURNING id`,
        [c.id, c.dealId, c.storeId, c.staffId, c.party, c.kind, c.amountFen, c.status, c.clawbackOf, c.refundId, c.basis, c.at, c.approveAfter],
      );
      inserted += rows.length;
    }
    return inserted;
  }

  /** A deal's lines, entries first in the order they were split, each followed in time by its clawbacks. */
  async ofDeal(dealId: string): Promise<Commission[]> {
    const rows = await this.db.query<CommissionRow[]>(
      `SELECT * FROM commissions WHERE deal_id = $1
       ORDER BY kind = 'clawback', at, array_position(ARRAY['online_agent', 'offline_closer', 'platform'], party),
         array_position(ARRAY['base', 'premium', 'fee'], kind), id`,
      [dealId],
    );
    return rows.map(toCommission);
  }

  /** A deal's entries (not clawbacks), locked: a refund and a statement never interleave on them. */
  async lockEntries(dealId: string): Promise<Commission[]> {
    const rows = await this.db.query<CommissionRow[]>(`SELECT * FROM commissions WHERE deal_id = $1 AND kind <> 'clawback' ORDER BY id FOR UPDATE`, [dealId]);
    return rows.map(toCommission);
  }

  /** The clawbacks of each entry so far (0 or negative), by entry id. */
  async clawedBack(entryIds: string[]): Promise<Map<string, number>> {
    if (entryIds.length === 0) return new Map();
    const rows = await this.db.query<{ clawback_of: string; total: string }[]>(
      `SELECT clawback_of, sum(amount_fen) AS total FROM commissions WHERE clawback_of = ANY($1::uuid[]) GROUP BY clawback_of`,
      [entryIds],
    );
    return new Map(rows.map((r) => [r.clawback_of, Number(r.total)]));
  }

  /** An entry and its clawbacks, none of them paid, reversed together. */
  async reverseWithClawbacks(entryId: string): Promise<number> {
    const rows = await queryRows(
      this.db,
      `UPDATE commissions SET status = 'reversed' WHERE (id = $1 OR clawback_of = $1) AND status IN ('pending', 'approved') AND statement_id IS NULL RETURNING id`,
      [entryId],
    );
    return rows.length;
  }

  /**
   * Approves the pending lines whose delay has passed by `now`; answers how many. Rows are locked
   * in id order, the order a refund locks a deal's entries in, so the two never deadlock.
   */
  async approveDue(now: Date): Promise<number> {
    const rows = await queryRows(
      this.db,
      `UPDATE commissions SET status = 'approved'
       WHERE status = 'pending' AND id IN (SELECT id FROM commissions WHERE status = 'pending' AND approve_after <= $1 ORDER BY id FOR UPDATE)
       RETURNING id`,
      [now],
    );
    return rows.length;
  }

  /** Pays, into a statement, the approved lines not paid yet that were due before the period's end (locked in id order too). */
  async payInto(statementId: string, periodEnd: Date): Promise<number> {
    const rows = await queryRows(
      this.db,
      `UPDATE commissions SET status = 'paid', statement_id = $1
       WHERE status = 'approved' AND statement_id IS NULL
         AND id IN (SELECT id FROM commissions WHERE status = 'approved' AND statement_id IS NULL AND approve_after < $2 ORDER BY id FOR UPDATE)
       RETURNING id`,
      [statementId, periodEnd],
    );
    return rows.length;
  }

  async totalsOf(statementId: string): Promise<StatementTotal[]> {
    const rows = await this.db.query<{ staff_id: string | null; approved: string; clawback: string; entries: number }[]>(
      `SELECT staff_id, coalesce(sum(amount_fen) FILTER (WHERE kind <> 'clawback'), 0) AS approved,
         coalesce(sum(amount_fen) FILTER (WHERE kind = 'clawback'), 0) AS clawback, count(*)::int AS entries
       FROM commissions WHERE statement_id = $1 GROUP BY staff_id ORDER BY staff_id NULLS LAST`,
      [statementId],
    );
    return rows.map((r) => ({ staffId: r.staff_id, approvedFen: Number(r.approved), clawbackFen: Number(r.clawback), entries: r.entries }));
  }

  /** Lines newest first, after the cursor's id. */
  async page(filter: CommissionFilter, limit: number, afterId?: string): Promise<Commission[]> {
    const rows = await this.db.query<CommissionRow[]>(
      `SELECT * FROM commissions WHERE ($1::uuid IS NULL OR id < $1) AND ($2::text IS NULL OR staff_id = $2) AND ($3::text IS NULL OR status = $3)
         AND ($4::timestamptz IS NULL OR at >= $4) AND ($5::timestamptz IS NULL OR at < $5)
       ORDER BY id DESC LIMIT $6`,
      [afterId ?? null, filter.staffId ?? null, filter.status ?? null, filter.from ?? null, filter.to ?? null, limit],
    );
    return rows.map(toCommission);
  }
}
