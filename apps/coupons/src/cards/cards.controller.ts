import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import {
  Actor,
  CardNoDto,
  CardQueryDto,
  CardView,
  COUPONS,
  Page,
  QuoteCardMessage,
  QuoteView,
  RedeemCardMessage,
  RedemptionView,
  ReversalView,
  ReverseRedemptionMessage,
  VoidCardMessage,
} from '@o2o/contracts';
import { Command, Data, MessageActor } from '@o2o/platform';
import { CardsService } from './cards.service';
import { RedemptionsService } from './redemptions.service';

@Controller()
export class CardsController {
  constructor(
    private readonly cards: CardsService,
    private readonly redemptions: RedemptionsService,
  ) {}

  @MessagePattern(COUPONS.getCard)
  get(@Data() dto: CardNoDto, @MessageActor() actor: Actor): Promise<CardView> {
    return this.cards.get(dto.cardNo, actor);
  }

  @MessagePattern(COUPONS.listCards)
  list(@Data() dto: CardQueryDto, @MessageActor() actor: Actor): Promise<Page<CardView>> {
    return this.cards.list(dto, actor);
  }

  @MessagePattern(COUPONS.quoteCard)
  quote(@Data() dto: QuoteCardMessage, @MessageActor() actor: Actor): Promise<QuoteView> {
    return this.cards.quote(dto, actor);
  }

  @Command(COUPONS.voidCard)
  void(@Data() dto: VoidCardMessage, @MessageActor() actor: Actor): Promise<CardView> {
    return this.cards.void(dto, actor);
  }

  @Command(COUPONS.redeemCard)
  redeem(@Data() dto: RedeemCardMessage): Promise<RedemptionView> {
    return this.redemptions.redeem(dto);
  }

  @Command(COUPONS.reverseRedemption)
  reverse(@Data() dto: ReverseRedemptionMessage): Promise<ReversalView> {
    return this.redemptions.reverse(dto);
  }
}
