import { Inject, Injectable } from '@nestjs/common';
import {
  Actor,
  CardIneligibility,
  CardStatus,
  CardView,
  CardVoidedEvent,
  ErrorCode,
  EVENTS,
  ListCardsDto,
  MAINLAND_MOBILE,
  normalizePhone,
  Page,
  PurchaseCardDto,
  PurchaseResult,
  QuoteCardMessage,
  QuoteResult,
  Role,
  VoidCardMessage,
} from '@o2o/contracts';
import { badInput, decodeIdCursor, DEFAULT_PAGE_SIZE, DomainError, Jobs, LOGGER, newId, notFound, queryRows, requireRoles, ruleBroken, toPage, writeEvent } from '@o2o/platform';
import type { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';
import { PARTNER_SCOPE_SQL, visibleToActor } from '../access';
import { CatalogFactsService } from '../catalog-facts/catalog-facts.service';
import { COUPONS_CONFIG, CouponsConfig } from '../coupons.config';
import { schedulePaymentExpiry } from '../payments/payment-expiry';
import { PaymentProviders } from '../payments/payment-provider';
import { issueUniqueCardNo } from './card-number';
import { CardRow, cardView, eventFactsOf, findCard, SELECT_CARD, stateOf, termsOf } from './card-row';
import { quote } from './eligibility';

interface OpenCampaign {
  id: string;
  price_fen: number;
  per_phone_limit: number;
  valid_from: Date;
  valid_to: Date;
  valid_days_after_issue: number | null;
  open: boolean;
  started: boolean;
}

/** A phone as stored: bare digits of a mainland mobile number. */
export function storedPhone(raw: string, field = 'phone'): string {
  const phone = normalizePhone(raw);
  if (!MAINLAND_MOBILE.test(phone)) throw badInput(`${field} must be a mainland mobile number`, [{ field, message: 'must be a mainland mobile number (11 digits starting with 1)' }]);
  return phone;
}

@Injectable()
export class CardsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly facts: CatalogFactsService,
    private readonly providers: PaymentProviders,
    private readonly jobs: Jobs,
    @Inject(COUPONS_CONFIG) private readonly config: CouponsConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Issues a card waiting for its payment. The campaign row is locked by the conditional UPDATE
   * that takes a place under totalLimit, so the per-phone count that follows cannot race another
   * purchase in the same campaign.
   */
  async purchase(dto: PurchaseCardDto): Promise<PurchaseResult> {
    const phone = storedPhone(dto.phone);
    const provider = this.providers.get(this.config.PAYMENT_PROVIDER);
    const issued = await this.dataSource.transaction(async (m) => {
      const [campaign]: OpenCampaign[] = await m.query(
        `SELECT id, price_fen, per_phone_limit, valid_from, valid_to, valid_days_after_issue,
                now() >= valid_from AS started, now() < valid_to AS open
           FROM campaigns WHERE id = $1`,
        [dto.campaignId],
      );
      if (!campaign) throw notFound('Campaign');
      if (!campaign.started) throw ruleBroken('The campaign does not sell cards yet', 'campaign_not_started');
      if (!campaign.open) throw ruleBroken('The campaign has ended', 'campaign_ended');

      const taken = await queryRows(m, `UPDATE campaigns SET issued = issued + 1 WHERE id = $1 AND (total_limit IS NULL OR issued < total_limit) RETURNING issued`, [campaign.id]);
      if (taken.length === 0) throw ruleBroken('No cards are left in this campaign', 'total_limit_reached');

      // Cards released by an expired payment no longer count; every other card does.
      const [{ held }]: { held: number }[] = await m.query(
        `SELECT count(*)::int AS held FROM cards WHERE campaign_id = $1 AND phone = $2 AND (status <> 'void' OR activated_at IS NOT NULL)`,
        [campaign.id, phone],
      );
      if (held >= campaign.per_phone_limit) {
        throw ruleBroken(`This phone already holds ${held} card(s) of this campaign, the most it may`, 'per_phone_limit_reached');
      }

      const cardId = newId();
      const fixedWindow = campaign.valid_days_after_issue === null;
      const cardNo = await issueUniqueCardNo(dto.source.channel, async (candidate) => {
        const inserted = await m.query(
          `INSERT INTO cards (id, card_no, campaign_id, phone, status, channel, source_campaign, agent_id, visitor_id, valid_from, valid_to)
           VALUES ($1, $2, $3, $4, 'pending_payment', $5, $6, $7, $8, $9, $10)
           ON CONFLICT (card_no) DO NOTHING RETURNING id`,
          [
            cardId,
            candidate,
            campaign.id,
            phone,
            dto.source.channel,
            dto.source.campaign ?? null,
            dto.source.agentId ?? null,
            dto.source.visitorId ?? null,
            fixedWindow ? campaign.valid_from : null,
            fixedWindow ? campaign.valid_to : null,
          ],
        );
        return inserted.length > 0;
      });
      const orderId = newId();
      const [order]: { expires_at: Date }[] = await m.query(
        `INSERT INTO payment_orders (id, card_id, provider, amount_fen, status, expires_at)
         VALUES ($1, $2, $3, $4, 'pending', now() + make_interval(secs => $5)) RETURNING expires_at`,
        [orderId, cardId, provider.name, campaign.price_fen, this.config.PAYMENT_TTL_SECONDS],
      );
      return { cardNo, orderId, amountFen: campaign.price_fen, expiresAt: order.expires_at };
    });

    // After the commit: a timer that fires for an order that does not exist would be harmless,
    // but the card must exist before anyone can pay for it. A timer lost here is caught by the sweep.
    await schedulePaymentExpiry(this.jobs, issued.orderId, issued.expiresAt).catch((err: unknown) =>
      this.logger.warn({ err, orderId: issued.orderId }, 'payment expiry timer not scheduled; the sweep will expire the order'),
    );
    const opened = await provider.open({ orderId: issued.orderId, amountFen: issued.amountFen, cardNo: issued.cardNo });
    return {
      cardNo: issued.cardNo,
      status: CardStatus.PendingPayment,
      payment: { orderId: issued.orderId, amountFen: issued.amountFen, provider: provider.name, expiresAt: issued.expiresAt.toISOString(), ...opened },
    };
  }

  /** Anyone may read a card by its number (masked); staff see its source; partners only their brand's. */
  async get(cardNo: string, actor: Actor): Promise<CardView> {
    const row = await this.visibleCard(this.dataSource.manager, cardNo, actor);
    return cardView(row, actor.kind === 'staff' ? 'staff' : 'public', new Date());
  }

  async list(query: ListCardsDto, actor: Actor): Promise<Page<CardView>> {
    if (actor.kind === 'anonymous') throw new DomainError(ErrorCode.Unauthenticated, 'Sign in, or send a partner API key');
    const size = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = decodeIdCursor(query.cursor);
    const params: unknown[] = [size + 1];
    const where: string[] = [];
    if (after) where.push(`k.id < $${params.push(after)}`);
    if (query.campaignId) where.push(`k.campaign_id = $${params.push(query.campaignId)}`);
    if (query.phone) where.push(`k.phone = $${params.push(storedPhone(query.phone))}`);
    if (query.status) where.push(statusCondition(query.status));
    if (actor.kind === 'partner') where.push(PARTNER_SCOPE_SQL(params.push(actor.brandId)));
    const rows: CardRow[] = await this.dataSource.query(`${SELECT_CARD} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY k.id DESC LIMIT $1`, params);
    const now = new Date();
    return toPage(rows, size, (r) => [r.id], (r) => cardView(r, actor.kind === 'staff' ? 'staff' : 'public', now));
  }

  /** Whether the card applies to a deal, and its discount. Changes nothing. */
  async quote(dto: QuoteCardMessage, actor: Actor): Promise<QuoteResult> {
    const brandId = dto.brandId.toLowerCase();
    // A partner quotes for its own brand only; another brand's id is not its business.
    if (actor.kind === 'partner' && actor.brandId.toLowerCase() !== brandId) throw notFound('Brand');
    const m = this.dataSource.manager;
    const row = await this.visibleCard(m, dto.cardNo, actor);
    const terms = termsOf(row);
    const deal = await this.facts.dealFacts(m, terms, { storeId: dto.storeId, brandId, amountFen: dto.amountFen });
    return quote(stateOf(row), terms, deal, new Date());
  }

  /** Takes an active card out of use, for a reason. */
  async void(dto: VoidCardMessage, actor: Actor): Promise<CardView> {
    requireRoles(actor, Role.Ops);
    return this.dataSource.transaction(async (m) => {
      const voided = await queryRows<{ voided_at: Date }>(
        m,
        `UPDATE cards SET status = 'void', voided_at = now(), void_reason = $2
          WHERE card_no = $1 AND status = 'active' AND valid_to > now() RETURNING voided_at`,
        [dto.cardNo, dto.reason],
      );
      const row = await findCard(m, dto.cardNo);
      if (!row) throw notFound('Card');
      if (voided.length === 0) {
        const status = cardView(row, 'public', new Date()).status;
        throw new DomainError(ErrorCode.Conflict, `A card that is ${status} cannot be voided`, undefined, status === CardStatus.Redeemed ? CardIneligibility.Used : undefined);
      }
      const event: CardVoidedEvent = { ...eventFactsOf(row), reason: dto.reason, voidedAt: voided[0]!.voided_at.toISOString() };
      await writeEvent(m, EVENTS.cardVoided, event);
      return cardView(row, 'staff', new Date());
    });
  }

  private async visibleCard(m: EntityManager, cardNo: string, actor: Actor): Promise<CardRow> {
    const row = await findCard(m, cardNo);
    if (!row || !visibleToActor(actor, row.brand_ids)) throw notFound('Card');
    return row;
  }
}

/** Status as read: an active card past its validity counts as expired before the sweep marks it. */
function statusCondition(status: CardStatus): string {
  switch (status) {
    case CardStatus.Active:
      return `(k.status = 'active' AND k.valid_to > now())`;
    case CardStatus.Expired:
      return `(k.status = 'expired' OR (k.status = 'active' AND k.valid_to <= now()))`;
    case CardStatus.PendingPayment:
    case CardStatus.Redeemed:
    case CardStatus.Void:
      return `k.status = '${status}'`;
  }
}
