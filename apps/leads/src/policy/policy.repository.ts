import { Injectable } from '@nestjs/common';
import { AssignmentPolicyDto, AssignmentPolicyView, AssignmentStrategy } from '@o2o/contracts';
import { queryRows } from '@o2o/platform';
import { DataSource } from 'typeorm';

/** The one row of assignment_policy. */
export interface PolicyRow {
  strategy: AssignmentStrategy;
  contact_sla_minutes: number;
  protection_days: number;
  updated_at: Date;
}

export const policyView = (row: PolicyRow): AssignmentPolicyView => ({
  strategy: row.strategy,
  contactSlaMinutes: row.contact_sla_minutes,
  protectionDays: row.protection_days,
  updatedAt: row.updated_at.toISOString(),
});

@Injectable()
export class PolicyRepository {
  constructor(private readonly db: DataSource) {}

  async get(): Promise<PolicyRow> {
    const [row] = await queryRows<PolicyRow>(this.db, 'SELECT * FROM assignment_policy');
    return row;
  }

  async put(policy: AssignmentPolicyDto): Promise<PolicyRow> {
    const [row] = await queryRows<PolicyRow>(
      this.db,
      `INSERT INTO assignment_policy (strategy, contact_sla_minutes, protection_days) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET strategy = EXCLUDED.strategy, contact_sla_minutes = EXCLUDED.contact_sla_minutes,
         protection_days = EXCLUDED.protection_days, updated_at = now()
       RETURNING *`,
      [policy.strategy, policy.contactSlaMinutes, policy.protectionDays],
    );
    return row;
  }
}
