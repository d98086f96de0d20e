import { Body, Controller, Param, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { BOOKING, CloseDealDto, DealQueryDto, DealView, IdDto, Page, RefundDealDto, RefundView, Role } from '@o2o/contracts';
import { GatewayClients } from '../core/gateway-clients';
import type { GatewayRequest } from '../core/request-meta';
import { Route } from '../core/route.decorator';

const STORE = [Role.StoreStaff, Role.StoreManager];

/** Deals and refunds. Each route: one call to booking, which runs the card saga with coupons. */
@ApiTags('deals')
@Controller()
export class DealsRoutes {
  constructor(private readonly clients: GatewayClients) {}

  @Route({
    method: 'POST',
    path: 'deals',
    summary:
      'Close a deal; with a card, the card is redeemed in the same step. A staffId that is not an active salesperson or manager of the store is 422 (staff_not_at_store), a card that is not usable is 422 with its reason, coupons unreachable is 503; nothing is recorded then. A retry with the same Idempotency-Key after a 504 answers the deal if it closed.',
    access: { roles: STORE, partner: true },
    idempotent: true,
    response: DealView,
    errors: [400, 404, 504],
  })
  close(@Body() dto: CloseDealDto, @Req() req: GatewayRequest): Promise<DealView> {
    return this.clients.call('booking', BOOKING.closeDeal, dto, req);
  }

  @Route({
    method: 'GET',
    path: 'deals',
    summary: "List closed deals, newest first: ops all, store staff their store's, a partner its brand's",
    access: { roles: [Role.Ops, ...STORE], partner: true },
    response: { page: DealView },
    errors: [400, 504],
  })
  list(@Query() query: DealQueryDto, @Req() req: GatewayRequest): Promise<Page<DealView>> {
    return this.clients.call('booking', BOOKING.listDeals, query, req);
  }

  @Route({
    method: 'GET',
    path: 'deals/:id',
    summary: 'Read a deal with its refunds',
    access: { roles: [Role.Ops, ...STORE], partner: true },
    response: DealView,
    errors: [400, 404, 504],
  })
  get(@Param() params: IdDto, @Req() req: GatewayRequest): Promise<DealView> {
    return this.clients.call('booking', BOOKING.getDeal, params, req);
  }

  @Route({
    method: 'POST',
    path: 'deals/:id/refund',
    summary: "Refund a deal, fully when no amount is named; refunds add up to at most the amount. A full refund reverses the card's redemption.",
    access: { roles: [Role.Ops, ...STORE], partner: true },
    idempotent: true,
    response: RefundView,
    errors: [400, 404, 504],
  })
  refund(@Param() params: IdDto, @Body() dto: RefundDealDto, @Req() req: GatewayRequest): Promise<RefundView> {
    return this.clients.call('booking', BOOKING.refundDeal, { ...dto, id: params.id }, req);
  }
}
