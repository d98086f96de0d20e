import { Inject, Injectable } from '@nestjs/common';
import { COUPONS, ReversalView } from '@o2o/contracts';
import { LOGGER, ServiceClients } from '@o2o/platform';
import type { Logger } from 'pino';
import { BOOKING_CONFIG, BookingConfig } from '../booking.config';
import { DealsRepository } from './deals.repository';

/** The one reason sent with a compensation: a retry of the same request must carry the same body. */
const NOT_CLOSED = 'deal not closed';

/**
 * Undoes the card side of a deal that did not close. Coupons reverses the deal's redemption, or,
 * when it never saw one, bars the deal so that a redeem still in flight fails when it lands.
 * Then the deal is abandoned: it never shows, and its request may run again as a new deal.
 */
@Injectable()
export class DealCompensation {
  constructor(
    private readonly deals: DealsRepository,
    private readonly clients: ServiceClients,
    @Inject(BOOKING_CONFIG) private readonly config: BookingConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Compensates one deal. Its own driver, having given up, compensates at once; recovery only
   * once the caller's deadline (plus grace) has passed, so it never undoes a deal still closing.
   */
  async compensate(dealId: string, options: { evenBeforeDeadline: boolean; timeoutMs?: number }): Promise<'abandoned' | 'not_mine'> {
    if (!(await this.deals.claimForCompensation(dealId, { graceMs: this.config.DEAL_RECOVERY_GRACE_MS, evenBeforeDeadline: options.evenBeforeDeadline }))) {
      return 'not_mine';
    }
    const reversal = await this.clients.call<ReversalView>(
      'coupons',
      COUPONS.reverseRedemption,
      { dealId, reason: NOT_CLOSED },
      { requestId: `deal:${dealId}:compensate` },
    );
    await this.deals.abandon(dealId, reversal.wasRedeemed ? 'redemption reversed' : 'redemption barred');
    this.logger.warn({ dealId, wasRedeemed: reversal.wasRedeemed }, 'deal not closed; its card redemption was undone');
    return 'abandoned';
  }

  /** Recovery: every deal the saga left unsettled, after a crash, a restart or coupons being down. */
  async sweep(limit = 100): Promise<{ abandoned: number; failed: number }> {
    const done = { abandoned: 0, failed: 0 };
    for (const id of await this.deals.unsettled(this.config.DEAL_RECOVERY_GRACE_MS, limit)) {
      try {
        if ((await this.compensate(id, { evenBeforeDeadline: false })) === 'abandoned') done.abandoned++;
      } catch (err) {
        done.failed++;
        this.logger.warn({ err, dealId: id }, 'compensating a deal failed; the next sweep retries');
      }
    }
    return done;
  }
}
