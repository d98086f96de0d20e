import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { Actor, ATTRIBUTION, FunnelQueryDto } from '@o2o/contracts';
import { Data, MessageActor } from '@o2o/platform';
import { FunnelService } from './funnel.service';

@Controller()
export class FunnelController {
  constructor(private readonly funnel: FunnelService) {}

  @MessagePattern(ATTRIBUTION.funnel)
  report(@Data() query: FunnelQueryDto, @MessageActor() actor: Actor) {
    return this.funnel.report(query, actor);
  }
}
