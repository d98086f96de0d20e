import { Injectable } from '@nestjs/common';
import { Channel } from '@o2o/contracts';
import { queryRows } from '@o2o/platform';
import { DataSource } from 'typeorm';

export interface ConsultationRow {
  id: string;
  visitor_id: string | null;
  channel: Channel;
  campaign: string | null;
  agent_id: string | null;
  phone: string | null;
  city: string;
  style: string | null;
  budget_fen: number | null;
  area_sqm: string | null;
  notes: string | null;
  recorded_by: string | null;
  recorded_at: Date;
}

export type NewConsultation = Omit<ConsultationRow, 'recorded_at' | 'area_sqm'> & { area_sqm: number | null };

/** The consultations table. */
@Injectable()
export class ConsultationsRepository {
  constructor(private readonly db: DataSource) {}

  async insert(c: NewConsultation): Promise<ConsultationRow> {
    const [row] = await queryRows<ConsultationRow>(
      this.db,
      `INSERT INTO consultations (id, visitor_id, channel, campaign, agent_id, phone, city, style, budget_fen, area_sqm, notes, recorded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *`,
      [c.id, c.visitor_id, c.channel, c.campaign, c.agent_id, c.phone, c.city, c.style, c.budget_fen, c.area_sqm, c.notes, c.recorded_by],
    );
    return row;
  }

  async find(id: string): Promise<ConsultationRow | undefined> {
    const [row] = await this.db.query<ConsultationRow[]>('SELECT * FROM consultations WHERE id = $1', [id]);
    return row;
  }
}
