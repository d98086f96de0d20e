import { Injectable, OnModuleInit } from '@nestjs/common';
import { EventEnvelope, EVENTS } from '@o2o/contracts';
import { EventConsumer } from '@o2o/platform';
import { WebhookNotifier } from './webhook-notifier';

/**
 * Sends on to partner webhooks the events leads receives only for them (booking.confirmed,
 * deal.refunded). deal.closed also changes a lead's status, so the lead core may own its handler:
 * that handler then calls `WebhookNotifier.partnerEvent(event)`. Until the core registers one,
 * this listener does, after every other provider's onModuleInit has registered its own.
 */
@Injectable()
export class WebhooksListener implements OnModuleInit {
  constructor(
    private readonly consumer: EventConsumer,
    private readonly notifier: WebhookNotifier,
  ) {}

  async onModuleInit(): Promise<void> {
    const forward = (event: EventEnvelope) => this.notifier.partnerEvent(event);
    this.consumer.on(EVENTS.bookingConfirmed, forward);
    this.consumer.on(EVENTS.dealRefunded, forward);
    // Nest runs every provider's onModuleInit up to its first await before this resumes.
    await new Promise((resolve) => setImmediate(resolve));
    if (this.consumer.unhandled.includes(EVENTS.dealClosed)) this.consumer.on(EVENTS.dealClosed, forward);
  }
}
