import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { Actor, BrandIdParams, LEADS, Page, PutWebhookMessage, WebhookDeliveriesMessage, WebhookDeliveryView, WebhookView } from '@o2o/contracts';
import { Command, Data, MessageActor } from '@o2o/platform';
import { WebhooksService } from './webhooks.service';

@Controller()
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Command(LEADS.putWebhook)
  put(@Data() dto: PutWebhookMessage, @MessageActor() actor: Actor): Promise<WebhookView> {
    return this.webhooks.put(dto, actor);
  }

  @MessagePattern(LEADS.getWebhook)
  get(@Data() dto: BrandIdParams, @MessageActor() actor: Actor): Promise<WebhookView> {
    return this.webhooks.get(dto.brandId, actor);
  }

  @MessagePattern(LEADS.listWebhookDeliveries)
  deliveries(@Data() dto: WebhookDeliveriesMessage, @MessageActor() actor: Actor): Promise<Page<WebhookDeliveryView>> {
    return this.webhooks.deliveries(dto, actor);
  }
}
