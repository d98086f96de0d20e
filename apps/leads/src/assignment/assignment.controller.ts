import { Controller } from '@nestjs/common';
import { Actor, LEADS, LeadView, ReassignLeadMessage } from '@o2o/contracts';
import { Command, Data, MessageActor } from '@o2o/platform';
import { AssignmentService } from './assignment.service';

@Controller()
export class AssignmentController {
  constructor(private readonly assignment: AssignmentService) {}

  @Command(LEADS.reassignLead)
  reassign(@Data() dto: ReassignLeadMessage, @MessageActor() actor: Actor): Promise<LeadView> {
    return this.assignment.reassign(dto, actor);
  }
}
