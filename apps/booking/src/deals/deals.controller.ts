import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { Actor, BOOKING, CloseDealDto, DealQueryDto, IdDto, RefundDealMessage } from '@o2o/contracts';
import { Command, Data, MessageActor, MessageRequest } from '@o2o/platform';
import { CloseDealUseCase } from './close-deal.use-case';
import { DealsService } from './deals.service';
import { RefundDealUseCase } from './refund-deal.use-case';

@Controller()
export class DealsController {
  constructor(
    private readonly closing: CloseDealUseCase,
    private readonly refunding: RefundDealUseCase,
    private readonly deals: DealsService,
  ) {}

  /** Not a @Command: the deal saga spans calls to coupons, so the deal row itself records its request. */
  @MessagePattern(BOOKING.closeDeal)
  close(@Data() dto: CloseDealDto, @MessageActor() actor: Actor, @MessageRequest() request: { requestId?: string; deadline?: number }) {
    return this.closing.close(dto, actor, request);
  }

  @Command(BOOKING.refundDeal)
  refund(@Data() message: RefundDealMessage, @MessageActor() actor: Actor) {
    return this.refunding.refund(message, actor);
  }

  @MessagePattern(BOOKING.getDeal)
  get(@Data() dto: IdDto, @MessageActor() actor: Actor) {
    return this.deals.get(dto.id, actor);
  }

  @MessagePattern(BOOKING.listDeals)
  list(@Data() query: DealQueryDto, @MessageActor() actor: Actor) {
    return this.deals.list(query, actor);
  }
}
