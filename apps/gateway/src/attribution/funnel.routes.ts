import { Body, Controller, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ATTRIBUTION, FunnelQueryDto, FunnelView, RecordTouchpointsDto, Role, TouchpointReceiptView } from '@o2o/contracts';
import { GatewayClients } from '../core/gateway-clients';
import type { GatewayRequest } from '../core/request-meta';
import { Route } from '../core/route.decorator';

/** Touchpoints from the sites and apps, and the funnel report. Each route: one call to attribution. */
@ApiTags('funnel')
@Controller()
export class TouchpointsRoutes {
  constructor(private readonly clients: GatewayClients) {}

  @Route({
    method: 'POST',
    path: 'touchpoints',
    summary:
      'Record visits: one event, or { events: [...] } with up to 500. A batch is recorded or refused whole; errors name events.N.field. A body over 1 MB is 413.',
    access: 'public',
    idempotent: true,
    status: 202,
    response: TouchpointReceiptView,
    errors: [400, 504],
  })
  record(@Body() dto: RecordTouchpointsDto, @Req() req: GatewayRequest): Promise<TouchpointReceiptView> {
    return this.clients.call('attribution', ATTRIBUTION.recordTouchpoints, dto, req);
  }
}

@ApiTags('funnel')
@Controller()
export class FunnelRoutes {
  constructor(private readonly clients: GatewayClients) {}

  @Route({
    method: 'GET',
    path: 'funnel',
    summary:
      'The funnel over [from, to) grouped by channel, city, store, agent or brand: visits (distinct visitors), consultations, bookings, store visits and deals, ' +
      'the four rates (fractions capped at 1, null when the denominator is 0) and the deals’ amounts. Records without the dimension are under key none; ' +
      'a booking or store visit with several brands counts once under each brand.',
    access: { roles: [Role.Ops] },
    response: FunnelView,
    errors: [400, 504],
  })
  funnel(@Query() query: FunnelQueryDto, @Req() req: GatewayRequest): Promise<FunnelView> {
    return this.clients.call('attribution', ATTRIBUTION.funnel, query, req);
  }
}

export const FUNNEL_ROUTES = [TouchpointsRoutes, FunnelRoutes];
