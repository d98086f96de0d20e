import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  CardNoDto,
  CardView,
  COUPONS,
  ListCardsDto,
  Page,
  PurchaseCardDto,
  PurchaseResult,
  QuoteCardDto,
  QuoteResult,
  Role,
  VoidCardDto,
} from '@o2o/contracts';
import { PartnerAccess, Public, Roles } from '../auth/access.decorators';
import type { GatewayRequest } from '../core/request-meta';
import { GatewayClients } from '../core/gateway-clients';
import { Idempotent } from '../idempotency/idempotency.interceptor';

/** The card number in the path is checked here (16 digits, channel code, Luhn digit): a bad one is 400, never 404. */
@ApiTags('privilege cards')
@Controller('cards')
export class CardsController {
  constructor(private readonly clients: GatewayClients) {}

  @Public()
  @Idempotent()
  @Post()
  @ApiCreatedResponse({ type: PurchaseResult, description: 'The card waits for its payment; over totalLimit or perPhoneLimit answers 422' })
  purchase(@Body() dto: PurchaseCardDto, @Req() req: GatewayRequest): Promise<PurchaseResult> {
    return this.clients.call('coupons', COUPONS.purchaseCard, dto, req);
  }

  /** Staff (any role) search by campaign, status or phone; a partner sees cards of campaigns that include its brand. */
  @Roles()
  @PartnerAccess()
  @Get()
  list(@Query() query: ListCardsDto, @Req() req: GatewayRequest): Promise<Page<CardView>> {
    return this.clients.call('coupons', COUPONS.listCards, query, req);
  }

  /** Public and masked; signed-in staff also see the source. */
  @Public()
  @Get(':cardNo')
  @ApiOkResponse({ type: CardView })
  get(@Param() params: CardNoDto, @Req() req: GatewayRequest): Promise<CardView> {
    return this.clients.call('coupons', COUPONS.getCard, params, req);
  }

  @Roles()
  @PartnerAccess()
  @Post(':cardNo/quote')
  @HttpCode(200)
  @ApiOkResponse({ type: QuoteResult })
  quote(@Param() params: CardNoDto, @Body() dto: QuoteCardDto, @Req() req: GatewayRequest): Promise<QuoteResult> {
    return this.clients.call('coupons', COUPONS.quoteCard, { ...dto, cardNo: params.cardNo }, req);
  }

  @Roles(Role.Admin, Role.Ops)
  @Post(':cardNo/void')
  @HttpCode(200)
  @ApiOkResponse({ type: CardView })
  void(@Param() params: CardNoDto, @Body() dto: VoidCardDto, @Req() req: GatewayRequest): Promise<CardView> {
    return this.clients.call('coupons', COUPONS.voidCard, { ...dto, cardNo: params.cardNo }, req);
  }
}
