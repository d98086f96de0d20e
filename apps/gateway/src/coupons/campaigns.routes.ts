import { Body, Controller, Param, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CampaignQueryDto, CampaignView, COUPONS, CreateCampaignDto, IdDto, Page, Role } from '@o2o/contracts';
import { GatewayClients } from '../core/gateway-clients';
import type { GatewayRequest } from '../core/request-meta';
import { Route } from '../core/route.decorator';

@ApiTags('privilege cards')
@Controller()
export class CampaignsRoutes {
  constructor(private readonly clients: GatewayClients) {}

  @Route({
    method: 'POST',
    path: 'card-campaigns',
    summary: 'Create a privilege-card campaign',
    access: { roles: [Role.Admin, Role.Ops] },
    idempotent: true,
    response: CampaignView,
    errors: [400, 504],
  })
  create(@Body() dto: CreateCampaignDto, @Req() req: GatewayRequest): Promise<CampaignView> {
    return this.clients.call('coupons', COUPONS.createCampaign, dto, req);
  }

  @Route({
    method: 'GET',
    path: 'card-campaigns',
    summary: 'List campaigns; a partner sees those that name its brand',
    access: { roles: [], partner: true },
    response: { page: CampaignView },
    errors: [400, 504],
  })
  list(@Query() query: CampaignQueryDto, @Req() req: GatewayRequest): Promise<Page<CampaignView>> {
    return this.clients.call('coupons', COUPONS.listCampaigns, query, req);
  }

  @Route({
    method: 'GET',
    path: 'card-campaigns/:id',
    summary: 'Read a campaign with its issued, redeemed and remaining counts',
    access: { roles: [], partner: true },
    response: CampaignView,
    errors: [400, 404, 504],
  })
  get(@Param() params: IdDto, @Req() req: GatewayRequest): Promise<CampaignView> {
    return this.clients.call('coupons', COUPONS.getCampaign, params, req);
  }
}
