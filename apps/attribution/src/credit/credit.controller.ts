import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { Actor, ATTRIBUTION, ConflictQueryDto, ConflictView, DealAttributionView, IdDto, Page } from '@o2o/contracts';
import { Data, MessageActor } from '@o2o/platform';
import { CreditService } from './credit.service';

@Controller()
export class CreditController {
  constructor(private readonly credit: CreditService) {}

  @MessagePattern(ATTRIBUTION.getDealAttribution)
  get(@Data() dto: IdDto, @MessageActor() actor: Actor): Promise<DealAttributionView> {
    return this.credit.get(dto.id, actor);
  }

  @MessagePattern(ATTRIBUTION.listConflicts)
  conflicts(@Data() query: ConflictQueryDto, @MessageActor() actor: Actor): Promise<Page<ConflictView>> {
    return this.credit.conflicts(query, actor);
  }
}
