import { Injectable } from '@nestjs/common';
import { CommissionRulesDto, CommissionRulesView } from '@o2o/contracts';
import { queryRows } from '@o2o/platform';
import { DataSource } from 'typeorm';

/** One version of the commission rules. */
export interface CommissionRules {
  version: number;
  onlineRate: number;
  offlineRate: number;
  premiumRate: number;
  platformFeeRate: number;
  attributionWindowDays: number;
  approvalDelayDays: number;
  effectiveFrom: Date;
}

interface RulesRow {
  version: number;
  online_rate: number;
  offline_rate: number;
  premium_rate: number;
  platform_fee_rate: number;
  attribution_window_days: number;
  approval_delay_days: number;
  effective_from: Date;
  set_by: string | null;
  created_at: Date;
}

const toRules = (r: RulesRow): CommissionRules => ({
  version: r.version,
  onlineRate: r.online_rate,
  offlineRate: r.offline_rate,
  premiumRate: r.premium_rate,
  platformFeeRate: r.platform_fee_rate,
  attributionWindowDays: r.attribution_window_days,
  approvalDelayDays: r.approval_delay_days,
  effectiveFrom: r.effective_from,
});

export const rulesView = (r: CommissionRules): CommissionRulesView => ({
  version: r.version,
  onlineRate: r.onlineRate,
  offlineRate: r.offlineRate,
  premiumRate: r.premiumRate,
  platformFeeRate: r.platformFeeRate,
  attributionWindowDays: r.attributionWindowDays,
  approvalDelayDays: r.approvalDelayDays,
  effectiveFrom: r.effectiveFrom.toISOString(),
});

/** The commission_rules table: every version ever set, never changed. */
@Injectable()
export class CommissionRulesRepository {
  constructor(private readonly db: DataSource) {}

  async insert(rules: CommissionRulesDto, effectiveFrom: Date, setBy: string | null): Promise<CommissionRules> {
    const [row] = await queryRows<RulesRow>(
      this.db,
      `INSERT INTO commission_rules (online_rate, offline_rate, premium_rate, platform_fee_rate, attribution_window_days, approval_delay_days, effective_from, set_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
      [
        rules.onlineRate,
        rules.offlineRate,
        rules.premiumRate,
        rules.platformFeeRate,
        rules.attributionWindowDays,
        rules.approvalDelayDays,
        effectiveFrom,
        setBy,
      ],
    );
    return toRules(row);
  }

  /** The newest version, locked so that two PUTs at once make their versions one after the other. */
  async latest(lock = false): Promise<CommissionRules | undefined> {
    const [row] = await this.db.query<RulesRow[]>(
      `SELECT * FROM commission_rules ORDER BY effective_from DESC, version DESC LIMIT 1${lock ? ' FOR UPDATE' : ''}`,
    );
    return row && toRules(row);
  }

  /** The version in force at an instant: the newest set at or before it. */
  async inForceAt(at: Date): Promise<CommissionRules | undefined> {
    const [row] = await this.db.query<RulesRow[]>(
      'SELECT * FROM commission_rules WHERE effective_from <= $1 ORDER BY effective_from DESC, version DESC LIMIT 1',
      [at],
    );
    return row && toRules(row);
  }
}
