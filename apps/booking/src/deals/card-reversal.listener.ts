import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { COUPONS, DealRefundedEvent, EVENTS } from '@o2o/contracts';
import { EventConsumer, LOGGER, ServiceClients } from '@o2o/platform';
import type { Logger } from 'pino';
import { RefundsRepository } from './refunds.repository';

/**
 * After a full refund commits, the deal's card redemption is reversed (the card is active again
 * if still valid). A failure throws, and the event is retried with backoff until coupons takes it;
 * the request id makes the reversal happen once however often it is sent.
 */
@Injectable()
export class CardReversalListener implements OnModuleInit {
  constructor(
    private readonly consumer: EventConsumer,
    private readonly clients: ServiceClients,
    private readonly refunds: RefundsRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.consumer.on(EVENTS.dealRefunded, async (event) => {
      const refund = event.data as Partial<DealRefundedEvent>;
      if (!refund.full || !refund.cardNo) return;
      if (typeof refund.dealId !== 'string' || typeof refund.refundId !== 'string') {
        this.logger.error({ eventId: event.id }, 'deal.refunded without its deal or refund id; skipped');
        return;
      }
      await this.clients.call(
        'coupons',
        COUPONS.reverseRedemption,
        { dealId: refund.dealId, reason: 'deal fully refunded' },
        { requestId: `deal:${refund.dealId}:refund` },
      );
      await this.refunds.markReversed(refund.refundId);
    });
  }
}
