import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface LeadOwnerFact {
  leadId: string;
  ownerId: string | null;
  storeId: string | null;
  asOf: string;
}

/** The lead_owners table: who owns each lead, as the lead events last said. */
@Injectable()
export class LeadOwnersRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Events arrive in any order: a newer fact wins; at the same instant, the one naming an owner
   * (an assignment made in the transaction that linked the booking) wins over one without.
   */
  async record(f: LeadOwnerFact): Promise<void> {
    await this.db.query(
      `INSERT INTO lead_owners (lead_id, owner_id, store_id, as_of) VALUES ($1, $2, $3, $4)
       ON CONFLICT (lead_id) DO UPDATE SET owner_id = EXCLUDED.owner_id, store_id = coalesce(EXCLUDED.store_id, lead_owners.store_id), as_of = EXCLUDED.as_of
       WHERE lead_owners.as_of < EXCLUDED.as_of OR (lead_owners.as_of = EXCLUDED.as_of AND EXCLUDED.owner_id IS NOT NULL)`,
      [f.leadId, f.ownerId, f.storeId, f.asOf],
    );
  }
}
