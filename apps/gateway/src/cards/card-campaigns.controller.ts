import { Body, Controller, Get, Param, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { IdDto, CampaignView, COUPONS, CreateCampaignDto, ListCampaignsDto, Page, Role } from '@o2o/contracts';
import { PartnerAccess, Roles } from '../auth/access.decorators';
import type { GatewayRequest } from '../core/request-meta';
import { GatewayClients } from '../core/gateway-clients';
import { Idempotent } from '../idempotency/idempotency.interceptor';

@ApiTags('privilege cards')
@Controller('card-campaigns')
export class CardCampaignsController {
  constructor(private readonly clients: GatewayClients) {}

  @Roles(Role.Admin, Role.Ops)
  @Idempotent()
  @Post()
  @ApiCreatedResponse({ type: CampaignView })
  create(@Body() dto: CreateCampaignDto, @Req() req: GatewayRequest): Promise<CampaignView> {
    return this.clients.call('coupons', COUPONS.createCampaign, dto, req);
  }

  /** Staff see every campaign; a partner only those that include its brand. */
  @Roles()
  @PartnerAccess()
  @Get()
  list(@Query() query: ListCampaignsDto, @Req() req: GatewayRequest): Promise<Page<CampaignView>> {
    return this.clients.call('coupons', COUPONS.listCampaigns, query, req);
  }

  @Roles()
  @PartnerAccess()
  @Get(':id')
  @ApiOkResponse({ type: CampaignView })
  get(@Param() params: IdDto, @Req() req: GatewayRequest): Promise<CampaignView> {
    return this.clients.call('coupons', COUPONS.getCampaign, params, req);
  }
}
