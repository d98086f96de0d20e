import { Body, Controller, Param, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ANONYMOUS, BrandIdParams, LEADS, Page, PageQueryDto, PutWebhookDto, Role, WebhookDeliveryView, WebhookView } from '@o2o/contracts';
import { requireBrandAccess } from '@o2o/platform';
import { GatewayClients } from '../core/gateway-clients';
import type { GatewayRequest } from '../core/request-meta';
import { Route } from '../core/route.decorator';

/** Another brand's key answers 404 here already: the brand travels in the message, not the actor. */
const ownBrand = (params: BrandIdParams, req: GatewayRequest) => requireBrandAccess(req.actor ?? ANONYMOUS, params.brandId, 'Webhook');

@ApiTags('partner webhooks')
@Controller()
export class WebhooksRoutes {
  constructor(private readonly clients: GatewayClients) {}

  @Route({
    method: 'PUT',
    path: 'brands/:brandId/webhook',
    summary: "Set the brand's webhook URL and signing secret; a private or loopback address is refused",
    access: { roles: [Role.Admin], partner: true },
    response: WebhookView,
    errors: [400, 404, 422, 504],
  })
  put(@Param() params: BrandIdParams, @Body() dto: PutWebhookDto, @Req() req: GatewayRequest): Promise<WebhookView> {
    ownBrand(params, req);
    return this.clients.call('leads', LEADS.putWebhook, { ...dto, brandId: params.brandId }, req);
  }

  @Route({
    method: 'GET',
    path: 'brands/:brandId/webhook',
    summary: "Read the brand's webhook; the secret is never shown",
    access: { roles: [Role.Admin], partner: true },
    response: WebhookView,
    errors: [400, 404, 504],
  })
  get(@Param() params: BrandIdParams, @Req() req: GatewayRequest): Promise<WebhookView> {
    ownBrand(params, req);
    return this.clients.call('leads', LEADS.getWebhook, params, req);
  }

  @Route({
    method: 'GET',
    path: 'brands/:brandId/webhook/deliveries',
    summary: 'List delivery attempts, newest first, each with its status code or error and the next retry',
    access: { roles: [Role.Admin], partner: true },
    response: { page: WebhookDeliveryView },
    errors: [400, 404, 504],
  })
  deliveries(@Param() params: BrandIdParams, @Query() query: PageQueryDto, @Req() req: GatewayRequest): Promise<Page<WebhookDeliveryView>> {
    ownBrand(params, req);
    return this.clients.call('leads', LEADS.listWebhookDeliveries, { ...query, brandId: params.brandId }, req);
  }
}
