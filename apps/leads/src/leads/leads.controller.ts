import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { Actor, CreateLeadDto, IdDto, MoveLeadMessage, PageQueryDto, LEADS } from '@o2o/contracts';
import { Command, Data, MessageActor } from '@o2o/platform';
import { LeadsService } from './leads.service';

/** Thin: validate (the DTOs), one service call. */
@Controller()
export class LeadsController {
  constructor(private readonly leads: LeadsService) {}

  @Command(LEADS.createLead)
  create(@Data() dto: CreateLeadDto, @MessageActor() actor: Actor) {
    return this.leads.create(dto, actor);
  }

  @MessagePattern(LEADS.getLead)
  get(@Data() dto: IdDto) {
    return this.leads.get(dto.id);
  }

  @MessagePattern(LEADS.listLeads)
  list(@Data() dto: PageQueryDto) {
    return this.leads.list(dto);
  }

  @Command(LEADS.moveLead)
  move(@Data() dto: MoveLeadMessage, @MessageActor() actor: Actor) {
    return this.leads.move(dto, actor);
  }
}
