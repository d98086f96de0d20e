import { Inject, Injectable } from '@nestjs/common';
import { Actor, Page, PutWebhookMessage, Role, WebhookDeliveriesMessage, WebhookDeliveryView, WebhookView } from '@o2o/contracts';
import { badInput, checkWebhookUrl, decodeIdCursor, DEFAULT_PAGE_SIZE, notFound, partnerBrand, requireRoles, toPage, WebhookDispatcher } from '@o2o/platform';
import { BrandWebhooksRepository, webhookView } from './brand-webhooks.repository';
import { WEBHOOKS_CONFIG, WebhooksConfig } from './webhooks.config';

/**
 * A brand's partner webhook: registered by an admin or by the brand's own key, read back with the
 * secret hidden, and its delivery attempts listed.
 */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly webhooks: BrandWebhooksRepository,
    private readonly dispatcher: WebhookDispatcher,
    @Inject(WEBHOOKS_CONFIG) private readonly config: WebhooksConfig,
  ) {}

  async put(dto: PutWebhookMessage, actor: Actor): Promise<WebhookView> {
    const brandId = this.requireOwnBrand(actor, dto.brandId);
    // Checked now, so a partner hears at once; checked again at each delivery, since DNS can change.
    const verdict = await checkWebhookUrl(dto.url, { allowPrivate: this.config.WEBHOOK_ALLOW_PRIVATE_URLS === 'true' });
    if (!verdict.ok) throw badInput(`url ${verdict.reason}`, [{ field: 'url', message: verdict.reason }]);
    return webhookView(await this.webhooks.upsert(brandId, dto.url, dto.secret));
  }

  async get(brandId: string, actor: Actor): Promise<WebhookView> {
    const webhook = await this.webhooks.find(this.requireOwnBrand(actor, brandId));
    if (!webhook) throw notFound('Webhook');
    return webhookView(webhook);
  }

  /** The brand's delivery attempts, newest first. */
  async deliveries(query: WebhookDeliveriesMessage, actor: Actor): Promise<Page<WebhookDeliveryView>> {
    const brandId = this.requireOwnBrand(actor, query.brandId);
    const size = query.limit ?? DEFAULT_PAGE_SIZE;
    const attempts = await this.dispatcher.attemptsOf(brandId, size + 1, decodeIdCursor(query.cursor));
    return toPage(
      attempts,
      size,
      (a) => [a.id],
      (a) => a,
    );
  }

  /** Admin, or the partner key of this very brand; another brand's webhook answers as if it did not exist. */
  private requireOwnBrand(actor: Actor, brandId: string): string {
    const id = brandId.toLowerCase();
    const own = partnerBrand(actor);
    if (own !== undefined) {
      if (own.toLowerCase() !== id) throw notFound('Webhook');
      return id;
    }
    requireRoles(actor, Role.Admin);
    return id;
  }
}
