import { Body, Controller, Param, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CardNoDto, CardQueryDto, CardView, COUPONS, Page, PurchaseCardDto, PurchaseView, QuoteCardDto, QuoteView, Role, VoidCardDto } from '@o2o/contracts';
import { GatewayClients } from '../core/gateway-clients';
import type { GatewayRequest } from '../core/request-meta';
import { Route } from '../core/route.decorator';

/** A card number in the path is checked here (16 digits, channel code, Luhn digit): a bad one is 400, never 404. */
@ApiTags('privilege cards')
@Controller()
export class CardsRoutes {
  constructor(private readonly clients: GatewayClients) {}

  @Route({
    method: 'POST',
    path: 'cards',
    summary: 'Buy a card: it waits for its payment; over totalLimit or perPhoneLimit answers 422',
    access: 'public',
    idempotent: true,
    response: PurchaseView,
    errors: [400, 404, 504],
  })
  purchase(@Body() dto: PurchaseCardDto, @Req() req: GatewayRequest): Promise<PurchaseView> {
    return this.clients.call('coupons', COUPONS.purchaseCard, dto, req);
  }

  @Route({
    method: 'GET',
    path: 'cards',
    summary: 'Search cards; the phone filter is for staff; a partner sees the cards of campaigns that name its brand',
    access: { roles: [], partner: true },
    response: { page: CardView },
    errors: [400, 504],
  })
  list(@Query() query: CardQueryDto, @Req() req: GatewayRequest): Promise<Page<CardView>> {
    return this.clients.call('coupons', COUPONS.listCards, query, req);
  }

  @Route({
    method: 'GET',
    path: 'cards/:cardNo',
    summary: 'Read a card: masked for the public, with its source for staff',
    access: 'public',
    response: CardView,
    errors: [400, 404, 504],
  })
  get(@Param() params: CardNoDto, @Req() req: GatewayRequest): Promise<CardView> {
    return this.clients.call('coupons', COUPONS.getCard, params, req);
  }

  @Route({
    method: 'POST',
    path: 'cards/:cardNo/quote',
    summary: 'What the card takes off a deal; changes nothing',
    access: { roles: [], partner: true },
    status: 200,
    response: QuoteView,
    errors: [400, 404, 504],
  })
  quote(@Param() params: CardNoDto, @Body() dto: QuoteCardDto, @Req() req: GatewayRequest): Promise<QuoteView> {
    return this.clients.call('coupons', COUPONS.quoteCard, { ...dto, ...params }, req);
  }

  @Route({
    method: 'POST',
    path: 'cards/:cardNo/void',
    summary: 'Take an active card out of use, for a reason',
    access: { roles: [Role.Admin, Role.Ops] },
    status: 200,
    response: CardView,
    errors: [400, 404, 409, 504],
  })
  void(@Param() params: CardNoDto, @Body() dto: VoidCardDto, @Req() req: GatewayRequest): Promise<CardView> {
    return this.clients.call('coupons', COUPONS.voidCard, { ...dto, ...params }, req);
  }
}
