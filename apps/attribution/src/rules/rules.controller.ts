import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { Actor, ATTRIBUTION, CommissionRulesDto, CommissionRulesView } from '@o2o/contracts';
import { Command, Data, MessageActor } from '@o2o/platform';
import { RulesService } from './rules.service';

@Controller()
export class RulesController {
  constructor(private readonly rules: RulesService) {}

  @Command(ATTRIBUTION.setCommissionRules)
  put(@Data() dto: CommissionRulesDto, @MessageActor() actor: Actor): Promise<CommissionRulesView> {
    return this.rules.put(dto, actor);
  }

  @MessagePattern(ATTRIBUTION.getCommissionRules)
  get(@MessageActor() actor: Actor): Promise<CommissionRulesView> {
    return this.rules.get(actor);
  }
}
