import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { Actor, IdDto, LEADS, LeadQueryDto, LeadView, LoseLeadMessage, Page } from '@o2o/contracts';
import { Command, Data, MessageActor } from '@o2o/platform';
import { LeadsService } from './leads.service';

/** Thin: validate (the DTOs), one service call. Reassignment is assignment's. */
@Controller()
export class LeadsController {
  constructor(private readonly leads: LeadsService) {}

  @MessagePattern(LEADS.getLead)
  get(@Data() dto: IdDto, @MessageActor() actor: Actor): Promise<LeadView> {
    return this.leads.get(dto.id, actor);
  }

  @MessagePattern(LEADS.listLeads)
  list(@Data() dto: LeadQueryDto, @MessageActor() actor: Actor): Promise<Page<LeadView>> {
    return this.leads.list(dto, actor);
  }

  @Command(LEADS.markContacted)
  contacted(@Data() dto: IdDto, @MessageActor() actor: Actor): Promise<LeadView> {
    return this.leads.contacted(dto.id, actor);
  }

  @Command(LEADS.loseLead)
  lose(@Data() dto: LoseLeadMessage, @MessageActor() actor: Actor): Promise<LeadView> {
    return this.leads.lose(dto, actor);
  }
}
