import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Who owns a phone's lead, in which store, and until when nobody else may take the customer. */
export interface LeadOwnerFact {
  leadId: string;
  phone: string;
  storeId: string | null;
  ownerId: string | null;
  protectedUntil: Date;
  /** The earliest the lead was heard of. */
  since: Date;
  asOf: Date;
  rank: number;
}

interface LeadOwnerRow {
  lead_id: string;
  phone: string;
  store_id: string | null;
  owner_id: string | null;
  protected_until: Date;
  since: Date;
  as_of: Date;
  rank: number;
}

const toFact = (r: LeadOwnerRow): LeadOwnerFact => ({
  leadId: r.lead_id,
  phone: r.phone,
  storeId: r.store_id,
  ownerId: r.owner_id,
  protectedUntil: r.protected_until,
  since: r.since,
  asOf: r.as_of,
  rank: r.rank,
});

const NEWER = '(EXCLUDED.as_of, EXCLUDED.rank) > (lead_owners.as_of, lead_owners.rank)';

/** The lead_owners table: each lead's newest owner and store (by occurredAt, then event rank), from the lead events. */
@Injectable()
export class LeadOwnersRepository {
  constructor(private readonly db: DataSource) {}

  async record(f: LeadOwnerFact): Promise<void> {
    await this.db.query(
      `INSERT INTO lead_owners (lead_id, phone, store_id, owner_id, protected_until, since, as_of, rank) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (lead_id) DO UPDATE SET
         since = least(lead_owners.since, EXCLUDED.since),
         phone = CASE WHEN ${NEWER} THEN EXCLUDED.phone ELSE lead_owners.phone END,
         store_id = CASE WHEN ${NEWER} THEN EXCLUDED.store_id ELSE lead_owners.store_id END,
         owner_id = CASE WHEN ${NEWER} THEN EXCLUDED.owner_id ELSE lead_owners.owner_id END,
         protected_until = CASE WHEN ${NEWER} THEN EXCLUDED.protected_until ELSE lead_owners.protected_until END,
         rank = CASE WHEN ${NEWER} THEN EXCLUDED.rank ELSE lead_owners.rank END,
         as_of = greatest(lead_owners.as_of, EXCLUDED.as_of)`,
      [f.leadId, f.phone, f.storeId, f.ownerId, f.protectedUntil, f.since, f.asOf, f.rank],
    );
  }

  async ofPhone(phone: string): Promise<LeadOwnerFact[]> {
    const rows = await this.db.query<LeadOwnerRow[]>('SELECT * FROM lead_owners WHERE phone = $1 ORDER BY as_of DESC, lead_id LIMIT 50', [phone]);
    return rows.map(toFact);
  }
}
