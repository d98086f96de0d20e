import { Injectable } from '@nestjs/common';
import { queryRows } from '@o2o/platform';
import { DataSource } from 'typeorm';

export interface Statement {
  id: string;
  period: string;
  periodEnd: Date;
  timeZone: string;
  createdAt: Date;
}

interface StatementRow {
  id: string;
  period: string;
  period_end: Date;
  time_zone: string;
  created_by: string | null;
  created_at: Date;
}

const toStatement = (r: StatementRow): Statement => ({ id: r.id, period: r.period, periodEnd: r.period_end, timeZone: r.time_zone, createdAt: r.created_at });

/** The commission_statements table: one statement per period. */
@Injectable()
export class CommissionStatementsRepository {
  constructor(private readonly db: DataSource) {}

  /** Inserts the period's statement unless it has one: then undefined. */
  async insert(s: Omit<Statement, 'createdAt'>, createdBy: string | null): Promise<Statement | undefined> {
    const [row] = await queryRows<StatementRow>(
      this.db,
      `INSERT INTO commission_statements (id, period, period_end, time_zone, created_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (period) DO NOTHING RETURNING *`,
      [s.id, s.period, s.periodEnd, s.timeZone, createdBy],
    );
    return row && toStatement(row);
  }

  async find(id: string): Promise<Statement | undefined> {
    const [row] = await this.db.query<StatementRow[]>('SELECT * FROM commission_statements WHERE id = $1', [id]);
    return row && toStatement(row);
  }

  async findByPeriod(period: string): Promise<Statement | undefined> {
    const [row] = await this.db.query<StatementRow[]>('SELECT * FROM commission_statements WHERE period = $1', [period]);
    return row && toStatement(row);
  }
}
