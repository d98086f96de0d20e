import { Injectable } from '@nestjs/common';
import { Channel } from '@o2o/contracts';
import { DataSource } from 'typeorm';

/** A consultation as attribution keeps it: the agent who served the customer a booking came from. */
export interface ConsultationFact {
  consultationId: string;
  phone: string | null;
  channel: Channel;
  campaign: string | null;
  agentId: string | null;
  recordedAt: Date;
}

interface ConsultationRow {
  consultation_id: string;
  phone: string | null;
  channel: Channel;
  campaign: string | null;
  agent_id: string | null;
  recorded_at: Date;
}

const toConsultationFact = (r: ConsultationRow): ConsultationFact => ({
  consultationId: r.consultation_id,
  phone: r.phone,
  channel: r.channel,
  campaign: r.campaign,
  agentId: r.agent_id,
  recordedAt: r.recorded_at,
});

/** The source_consultations table, from consultation.recorded; a later telling wins. */
@Injectable()
export class SourceConsultationsRepository {
  constructor(private readonly db: DataSource) {}

  async record(f: ConsultationFact): Promise<void> {
    await this.db.query(
      `INSERT INTO source_consultations (consultation_id, phone, channel, campaign, agent_id, recorded_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (consultation_id) DO UPDATE SET phone = EXCLUDED.phone, channel = EXCLUDED.channel, campaign = EXCLUDED.campaign,
         agent_id = EXCLUDED.agent_id, recorded_at = EXCLUDED.recorded_at
       WHERE source_consultations.recorded_at < EXCLUDED.recorded_at`,
      [f.consultationId, f.phone, f.channel, f.campaign, f.agentId, f.recordedAt],
    );
  }

  async findMany(ids: string[]): Promise<ConsultationFact[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.query<ConsultationRow[]>('SELECT * FROM source_consultations WHERE consultation_id = ANY($1::uuid[])', [ids]);
    return rows.map(toConsultationFact);
  }
}
