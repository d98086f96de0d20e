import { Inject, Injectable } from '@nestjs/common';
import {
  Actor,
  BookingRefusal,
  BookingStatus,
  CardIneligibility,
  CloseDealDto,
  COUPONS,
  DealClosedEvent,
  DealView,
  ErrorCode,
  EVENTS,
  RedemptionRefusal,
  RedemptionView,
} from '@o2o/contracts';
import { actorRef, DomainError, forbidden, isUniqueViolation, LOGGER, newId, notFound, ServiceClients, writeEvent } from '@o2o/platform';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { BOOKING_CONFIG, BookingConfig } from '../booking.config';
import { BookingsRepository } from '../bookings/bookings.repository';
import { withSourceFor } from '../bookings/bookings.rules';
import { StaffFactsRepository } from '../staff-facts/staff-facts.repository';
import { StoreFactsRepository } from '../store-facts/store-facts.repository';
import { DealCompensation } from './deal-compensation';
import { closerRefusal, closesAtStore, dealSource, showsDealPhone } from './deals.rules';
import { DealRow, DealsRepository, NewDeal, toDealView } from './deals.repository';

const refused = (field: string, message: string, reason: string) => new DomainError(ErrorCode.RuleBroken, message, [{ field, message }], reason);
const unavailable = (message: string) => new DomainError(ErrorCode.ServiceUnavailable, message, undefined, undefined, 1);
/** Time kept back from the caller's deadline to answer it, and to compensate, after the card service times out. */
const ANSWER_MARGIN_MS = 1000;
/** Coupons' answers that say for sure the card was not redeemed for this deal. */
const DEFINITE = new Set<ErrorCode>([ErrorCode.RuleBroken, ErrorCode.Conflict, ErrorCode.NotFound, ErrorCode.BadInput]);

/**
 * Closes a deal. Without a card it is one transaction. With one it is a saga over the kit's
 * exactly-once calls: (1) write the deal pending, keyed by its request; (2) redeem the card
 * through coupons under a request id made from the deal id; (3) close the deal. A refusal
 * deletes the pending deal (nothing recorded); an unknown outcome is compensated at once or,
 * failing that, by the recovery sweep. A retry of the request finds its deal in whatever state
 * it reached and carries on from there.
 */
@Injectable()
export class CloseDealUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly deals: DealsRepository,
    private readonly bookings: BookingsRepository,
    private readonly stores: StoreFactsRepository,
    private readonly staff: StaffFactsRepository,
    private readonly clients: ServiceClients,
    private readonly compensation: DealCompensation,
    @Inject(BOOKING_CONFIG) private readonly config: BookingConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async close(dto: CloseDealDto, actor: Actor, request: { requestId?: string; deadline?: number }): Promise<DealView> {
    const storeId = dto.storeId.toLowerCase();
    const brandId = dto.brandId.toLowerCase();
    const staffId = dto.staffId.toLowerCase();
    const refusal = closerRefusal(actor, { storeId, brandId, staffId });
    if (refusal === 'not_found') throw notFound('Brand');
    if (refusal === 'forbidden') throw forbidden("A deal is recorded by the store's staff (a salesperson for themself), the brand's partner, or admin");

    // Without a request id the call is its own request: it can never be a retry.
    const requestId = request.requestId ?? newId();
    const existing = await this.deals.findLive(requestId);
    if (existing) return this.resume(existing, actor);

    const deal = await this.newDeal(dto, { storeId, brandId, staffId }, actor, requestId, request.deadline);
    if (!dto.cardNo) return this.closeWithoutCard(deal, actor);
    // Coupons known to be down: answer now, before anything is written.
    if (!this.clients.liveness.isUp('coupons')) throw unavailable('The card service is unavailable; nothing was recorded');
    const pending = await this.deals.insert(deal, 'pending', null);
    if (!pending) return this.resume((await this.deals.findLive(requestId))!, actor);
    return this.drive(pending, actor);
  }

  /** The deal as the request describes it, checked against booking's own facts. */
  private async newDeal(
    dto: CloseDealDto,
    ids: { storeId: string; brandId: string; staffId: string },
    actor: Actor,
    requestId: string,
    deadline: number | undefined,
  ): Promise<NewDeal> {
    const store = await this.stores.store(ids.storeId);
    if (!store) throw refused('storeId', 'no such store', BookingRefusal.UnknownStore);
    if ((await this.stores.notTenantsOf(store.id, [ids.brandId])).length)
      throw refused('brandId', 'the brand is not a tenant of the store', BookingRefusal.BrandNotInStore);
    // The closer earns the deal's commission: it must be someone who sells at this store.
    if (!closesAtStore(await this.staff.find(ids.staffId), store.id))
      throw refused('staffId', 'is not an active salesperson or manager of the store', BookingRefusal.StaffNotAtStore);
    const booking = dto.bookingId ? await this.bookings.find(dto.bookingId.toLowerCase()) : undefined;
    if (dto.bookingId && !booking) throw refused('bookingId', 'no such booking', BookingRefusal.UnknownBooking);
    if (booking && booking.store_id !== store.id) throw refused('bookingId', 'the booking is for another store', BookingRefusal.BookingNotAtStore);
    if (booking?.status === BookingStatus.Cancelled)
      throw new DomainError(ErrorCode.Conflict, 'The booking was cancelled', [{ field: 'bookingId', message: 'cancelled' }]);
    return {
      id: newId(),
      request_id: requestId,
      store_id: store.id,
      brand_id: ids.brandId,
      staff_id: ids.staffId,
      city: store.city,
      phone: dto.customer.phone,
      customer_name: dto.customer.name ?? booking?.customer_name ?? null,
      booking_id: booking?.id ?? null,
      consultation_id: booking?.consultation_id ?? null,
      lead_id: booking?.lead_id ?? null,
      card_no: dto.cardNo ?? null,
      amount_fen: dto.amountFen,
      budget_fen: booking?.budget_fen ?? null,
      source: booking
        ? { channel: booking.source_channel, campaign: booking.source_campaign, agentId: booking.source_agent_id, visitorId: booking.source_visitor_id }
        : null,
      items: dto.items ?? [],
      deadline_at: new Date(deadline ?? Date.now() + this.config.DEAL_DEADLINE_MS),
      created_by: actorRef(actor),
    };
  }

  private async closeWithoutCard(deal: NewDeal, actor: Actor): Promise<DealView> {
    try {
      return await this.dataSource.transaction(async () => {
        const closed = await this.deals.insert(deal, 'closed', new Date());
        if (!closed) throw new DomainError(ErrorCode.Conflict, 'duplicate request');
        await this.announce(closed);
        return withSourceFor(actor, toDealView(closed, showsDealPhone(actor, { storeId: closed.store_id, staffId: closed.staff_id })));
      });
    } catch (e) {
      // A concurrent delivery of the same request closed it first: answer that deal.
      const first = await this.deals.findLive(deal.request_id);
      if (first && (isUniqueViolation(e) || (e instanceof DomainError && e.code === ErrorCode.Conflict))) return this.resume(first, actor);
      throw e;
    }
  }

  /** The same request again: the deal it made, carried on from where it stopped. */
  private async resume(deal: DealRow, actor: Actor): Promise<DealView> {
    if (deal.status === 'closed') return withSourceFor(actor, toDealView(deal, showsDealPhone(actor, { storeId: deal.store_id, staffId: deal.staff_id })));
    if (deal.status === 'pending') return this.drive(deal, actor);
    throw unavailable('An earlier attempt of this request is being undone; retry shortly');
  }

  private async drive(deal: DealRow, actor: Actor): Promise<DealView> {
    let redemption: RedemptionView;
    try {
      const timeoutMs = Math.max(200, deal.deadline_at.getTime() - Date.now() - ANSWER_MARGIN_MS);
      redemption = await this.clients.call<RedemptionView>(
        'coupons',
        COUPONS.redeemCard,
        { cardNo: deal.card_no, storeId: deal.store_id, brandId: deal.brand_id, amountFen: deal.amount_fen, dealId: deal.id },
        { requestId: `deal:${deal.id}:redeem`, timeoutMs },
      );
    } catch (e) {
      if (e instanceof DomainError && DEFINITE.has(e.code) && e.reason !== RedemptionRefusal.DealAbandoned) {
        await this.deals.discard(deal.id);
        throw cardRefusal(e);
      }
      await this.giveUp(deal, e);
      throw unavailable('The card service did not confirm the redemption; nothing was recorded. Retry with the same Idempotency-Key');
    }
    const closed = await this.dataSource.transaction(async () => {
      const row = await this.deals.close(deal.id, redemption.discountFen, dealSource(redemption.source, deal.source), new Date());
      if (row) await this.announce(row);
      return row;
    });
    if (closed) return withSourceFor(actor, toDealView(closed, showsDealPhone(actor, { storeId: closed.store_id, staffId: closed.staff_id })));
    const now = await this.deals.find(deal.id);
    if (now?.status === 'closed') return withSourceFor(actor, toDealView(now, showsDealPhone(actor, { storeId: now.store_id, staffId: now.staff_id })));
    throw unavailable('The deal was undone before it could close; retry with the same Idempotency-Key');
  }

  /** The outcome is unknown: undo the card side now, or leave it to recovery. */
  private async giveUp(deal: DealRow, cause: unknown): Promise<void> {
    try {
      // Within what is left of the caller's deadline, so that the 503 still reaches it.
      const timeoutMs = Math.max(100, deal.deadline_at.getTime() - Date.now() - ANSWER_MARGIN_MS / 5);
      await this.compensation.compensate(deal.id, { evenBeforeDeadline: true, timeoutMs });
    } catch (err) {
      this.logger.warn({ err, cause, dealId: deal.id }, 'deal left for recovery: its redemption could not be confirmed or undone');
    }
  }

  private async announce(row: DealRow): Promise<void> {
    const event: DealClosedEvent = {
      dealId: row.id,
      storeId: row.store_id,
      brandId: row.brand_id,
      staffId: row.staff_id,
      phone: row.phone,
      city: row.city,
      bookingId: row.booking_id,
      consultationId: row.consultation_id,
      leadId: row.lead_id,
      cardNo: row.card_no,
      source: row.source,
      amountFen: row.amount_fen,
      discountFen: row.discount_fen,
      payableFen: row.amount_fen - row.discount_fen,
      budgetFen: row.budget_fen,
      closedAt: row.closed_at!.toISOString(),
    };
    await writeEvent(this.dataSource.manager, EVENTS.dealClosed, event);
  }
}

/** Coupons' refusal as the deal's caller hears it: 422 with the card's reason. */
function cardRefusal(e: DomainError): DomainError {
  if (e.code === ErrorCode.NotFound) return refused('cardNo', 'no such card', BookingRefusal.CardNotFound);
  if (e.reason === CardIneligibility.Used) return refused('cardNo', e.message, CardIneligibility.Used);
  if (e.code === ErrorCode.RuleBroken) return refused('cardNo', e.message, e.reason ?? 'card_not_usable');
  return e;
}
