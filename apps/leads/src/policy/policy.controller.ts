import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { Actor, AssignmentPolicyDto, AssignmentPolicyView, LEADS } from '@o2o/contracts';
import { Command, Data, MessageActor } from '@o2o/platform';
import { PolicyService } from './policy.service';

@Controller()
export class PolicyController {
  constructor(private readonly policy: PolicyService) {}

  @Command(LEADS.putPolicy)
  put(@Data() dto: AssignmentPolicyDto, @MessageActor() actor: Actor): Promise<AssignmentPolicyView> {
    return this.policy.put(dto, actor);
  }

  @MessagePattern(LEADS.getPolicy)
  get(@MessageActor() actor: Actor): Promise<AssignmentPolicyView> {
    return this.policy.get(actor);
  }
}
