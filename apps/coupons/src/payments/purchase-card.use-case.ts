import { Inject, Injectable } from '@nestjs/common';
import { CardStatus, PurchaseCardDto, PurchaseView } from '@o2o/contracts';
import { Jobs, LOGGER, newId, notFound, ruleBroken } from '@o2o/platform';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { CampaignsRepository } from '../campaigns/campaigns.repository';
import { issueUniqueCardNo } from '../cards/card-number';
import { CardsRepository } from '../cards/cards.repository';
import { COUPONS_CONFIG, CouponsConfig } from '../coupons.config';
import { schedulePaymentExpiry } from './payment-expiry';
import { PaymentOrdersRepository } from './payment-orders.repository';
import { PaymentProviders } from './payment-provider';

/** Sells a card: it is issued waiting for its payment, with the order the buyer pays. */
@Injectable()
export class PurchaseCardUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly campaigns: CampaignsRepository,
    private readonly cards: CardsRepository,
    private readonly orders: PaymentOrdersRepository,
    private readonly providers: PaymentProviders,
    private readonly jobs: Jobs,
    @Inject(COUPONS_CONFIG) private readonly config: CouponsConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * The campaign row is locked by the conditional UPDATE that takes a place under totalLimit, so
   * the per-phone count that follows cannot race another purchase in the same campaign. The
   * phone arrives normalised by its DTO.
   */
  async purchase(dto: PurchaseCardDto): Promise<PurchaseView> {
    const provider = this.providers.get(this.config.PAYMENT_PROVIDER);
    const issued = await this.dataSource.transaction(async () => {
      const campaign = await this.campaigns.findForSale(dto.campaignId);
      if (!campaign) throw notFound('Campaign');
      if (!campaign.started) throw ruleBroken('The campaign does not sell cards yet', 'campaign_not_started');
      if (!campaign.open) throw ruleBroken('The campaign has ended', 'campaign_ended');
      if (!(await this.campaigns.takePlace(campaign.id))) throw ruleBroken('No cards are left in this campaign', 'total_limit_reached');

      const held = await this.cards.countHeldByPhone(campaign.id, dto.phone);
      if (held >= campaign.perPhoneLimit) {
        throw ruleBroken(`This phone already holds ${held} card(s) of this campaign, the most it may`, 'per_phone_limit_reached');
      }

      const cardId = newId();
      const fixedWindow = campaign.validDaysAfterIssue === null;
      const source = {
        channel: dto.source.channel,
        campaign: dto.source.campaign ?? null,
        agentId: dto.source.agentId ?? null,
        visitorId: dto.source.visitorId ?? null,
      };
      const cardNo = await issueUniqueCardNo(dto.source.channel, (candidate) =>
        this.cards.insertPending({
          id: cardId,
          cardNo: candidate,
          campaignId: campaign.id,
          phone: dto.phone,
          source,
          validFrom: fixedWindow ? campaign.validFrom : null,
          validTo: fixedWindow ? campaign.validTo : null,
        }),
      );
      const order = await this.orders.insertPending({
        id: newId(),
        cardId,
        provider: provider.name,
        amountFen: campaign.priceFen,
        ttlSeconds: this.config.PAYMENT_TTL_SECONDS,
      });
      return { cardNo, order };
    });

    // After the commit: a timer that fires for an order that does not exist would be harmless,
    // but the card must exist before anyone can pay for it. A timer lost here is caught by the sweep.
    const { cardNo, order } = issued;
    await schedulePaymentExpiry(this.jobs, order.id, order.expiresAt).catch((err: unknown) =>
      this.logger.warn({ err, orderId: order.id }, 'payment expiry timer not scheduled; the sweep will expire the order'),
    );
    const opened = await provider.open({ orderId: order.id, amountFen: order.amountFen, cardNo });
    return {
      cardNo,
      status: CardStatus.PendingPayment,
      payment: { orderId: order.id, amountFen: order.amountFen, provider: provider.name, expiresAt: order.expiresAt.toISOString(), ...opened },
    };
  }
}
