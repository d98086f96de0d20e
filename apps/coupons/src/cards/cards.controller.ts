import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import {
  Actor,
  CardNoDto,
  CardView,
  COUPONS,
  ListCardsDto,
  Page,
  PurchaseCardDto,
  PurchaseResult,
  QuoteCardMessage,
  QuoteResult,
  RedeemCardMessage,
  RedemptionResult,
  ReversalResult,
  ReverseRedemptionMessage,
  VoidCardMessage,
} from '@o2o/contracts';
import { Command, MessageActor, Data } from '@o2o/platform';
import { CardsService } from './cards.service';
import { RedemptionsService } from './redemptions.service';

@Controller()
export class CardsController {
  constructor(
    private readonly cards: CardsService,
    private readonly redemptions: RedemptionsService,
  ) {}

  @Command(COUPONS.purchaseCard)
  purchase(@Data() dto: PurchaseCardDto): Promise<PurchaseResult> {
    return this.cards.purchase(dto);
  }

  @MessagePattern(COUPONS.getCard)
  get(@Data() dto: CardNoDto, @MessageActor() actor: Actor): Promise<CardView> {
    return this.cards.get(dto.cardNo, actor);
  }

  @MessagePattern(COUPONS.listCards)
  list(@Data() dto: ListCardsDto, @MessageActor() actor: Actor): Promise<Page<CardView>> {
    return this.cards.list(dto, actor);
  }

  @MessagePattern(COUPONS.quoteCard)
  quote(@Data() dto: QuoteCardMessage, @MessageActor() actor: Actor): Promise<QuoteResult> {
    return this.cards.quote(dto, actor);
  }

  @Command(COUPONS.voidCard)
  void(@Data() dto: VoidCardMessage, @MessageActor() actor: Actor): Promise<CardView> {
    return this.cards.void(dto, actor);
  }

  @Command(COUPONS.redeemCard)
  redeem(@Data() dto: RedeemCardMessage): Promise<RedemptionResult> {
    return this.redemptions.redeem(dto);
  }

  @Command(COUPONS.reverseRedemption)
  reverse(@Data() dto: ReverseRedemptionMessage): Promise<ReversalResult> {
    return this.redemptions.reverse(dto);
  }
}
