import { Injectable } from '@nestjs/common';
import { Actor, ConsultationRecordedEvent, ConsultationView, EVENTS, maskPhone, RecordConsultationDto, Role } from '@o2o/contracts';
import { actorRef, hasRole, newId, notFound, requireRoles, writeEvent } from '@o2o/platform';
import { DataSource } from 'typeorm';
import { ConsultationRow, ConsultationsRepository } from './consultations.repository';

const view = (row: ConsultationRow, fullPhone: boolean): ConsultationView => ({
  id: row.id,
  channel: row.channel,
  city: row.city,
  phone: row.phone && (fullPhone ? row.phone : maskPhone(row.phone)),
  budgetFen: row.budget_fen,
  recordedAt: row.recorded_at.toISOString(),
});

/** Consultations: what an online agent learned from a customer, recorded once per request. */
@Injectable()
export class ConsultationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly consultations: ConsultationsRepository,
  ) {}

  async record(dto: RecordConsultationDto, actor: Actor): Promise<ConsultationView> {
    const row = await this.consultations.insert({
      id: newId(),
      visitor_id: dto.visitorId ?? null,
      channel: dto.channel,
      campaign: dto.campaign ?? null,
      agent_id: dto.agentId ?? null,
      phone: dto.phone ?? null,
      city: dto.city,
      style: dto.style ?? null,
      budget_fen: dto.budgetFen ?? null,
      area_sqm: dto.areaSqm ?? null,
      notes: dto.notes ?? null,
      recorded_by: actorRef(actor),
    });
    const event: ConsultationRecordedEvent = {
      consultationId: row.id,
      phone: row.phone,
      city: row.city,
      source: { channel: row.channel, campaign: row.campaign, agentId: row.agent_id, visitorId: row.visitor_id },
      budgetFen: row.budget_fen,
      recordedAt: row.recorded_at.toISOString(),
    };
    await writeEvent(this.dataSource.manager, EVENTS.consultationRecorded, event);
    return view(row, true);
  }

  /** Online staff read consultations; the phone in full for ops and admin. */
  async get(id: string, actor: Actor): Promise<ConsultationView> {
    requireRoles(actor, Role.Ops, Role.Agent);
    const row = await this.consultations.find(id);
    if (!row) throw notFound('Consultation');
    return view(row, hasRole(actor, Role.Ops));
  }
}
