import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { Actor, ATTRIBUTION, CommissionQueryDto, CommissionView, Page } from '@o2o/contracts';
import { Data, MessageActor } from '@o2o/platform';
import { LedgerService } from './ledger.service';

@Controller()
export class LedgerController {
  constructor(private readonly ledger: LedgerService) {}

  @MessagePattern(ATTRIBUTION.listCommissions)
  list(@Data() query: CommissionQueryDto, @MessageActor() actor: Actor): Promise<Page<CommissionView>> {
    return this.ledger.list(query, actor);
  }
}
