import { Injectable } from '@nestjs/common';
import {
  Actor,
  CardIneligibility,
  CardQueryDto,
  CardStatus,
  CardView,
  CardVoidedEvent,
  ErrorCode,
  EVENTS,
  Page,
  QuoteCardMessage,
  QuoteView,
  Role,
  VoidCardMessage,
} from '@o2o/contracts';
import {
  decodeIdCursor,
  DEFAULT_PAGE_SIZE,
  DomainError,
  forbidden,
  isStaff,
  notFound,
  partnerBrand,
  requireBrandAccess,
  requireRoles,
  toPage,
  writeEvent,
} from '@o2o/platform';
import { DataSource } from 'typeorm';
import { appliesToBrand, visibleTo } from '../campaigns/campaigns.rules';
import { CatalogFactsService } from '../catalog-facts/catalog-facts.service';
import { cardEventFacts, cardView, CardsRepository } from './cards.repository';
import { effectiveStatus, quote } from './cards.rules';

const audienceOf = (actor: Actor) => (isStaff(actor) ? 'staff' : 'public');

@Injectable()
export class CardsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cards: CardsRepository,
    private readonly facts: CatalogFactsService,
  ) {}

  /**
   * Anyone may read a card by its number (masked); staff see its source. A partner sees a card
   * only when its campaign names the partner's brand; otherwise 404.
   */
  async get(cardNo: string, actor: Actor): Promise<CardView> {
    const card = await this.cards.findByNo(cardNo);
    if (!card || !visibleTo(actor, card.terms.brandIds)) throw notFound('Card');
    return cardView(card, audienceOf(actor), new Date());
  }

  /** Staff search every card; a partner lists the cards of campaigns naming its brand, and may not search by phone (403). */
  async list(query: CardQueryDto, actor: Actor): Promise<Page<CardView>> {
    if (actor.kind === 'anonymous') throw new DomainError(ErrorCode.Unauthenticated, 'Sign in, or send a partner API key');
    // Whether a phone holds a card is the holder's business: only staff may ask.
    if (query.phone !== undefined && !isStaff(actor)) throw forbidden('Only staff may search cards by phone');
    const size = query.limit ?? DEFAULT_PAGE_SIZE;
    const cards = await this.cards.list({
      limit: size + 1,
      before: decodeIdCursor(query.cursor),
      campaignId: query.campaignId,
      phone: query.phone,
      status: query.status,
      namingBrand: partnerBrand(actor),
    });
    const now = new Date();
    return toPage(
      cards,
      size,
      (c) => [c.id],
      (c) => cardView(c, audienceOf(actor), now),
    );
  }

  /**
   * Whether the card applies to a deal, and its discount. Changes nothing. A partner quotes for
   * its own brand only, any card that may be used there (chain-wide ones included).
   */
  async quote(dto: QuoteCardMessage, actor: Actor): Promise<QuoteView> {
    const brandId = dto.brandId.toLowerCase();
    requireBrandAccess(actor, brandId, 'Brand');
    const card = await this.cards.findByNo(dto.cardNo);
    if (!card || (partnerBrand(actor) !== undefined && !appliesToBrand(card.terms.brandIds, brandId))) throw notFound('Card');
    const known = await this.facts.about({ storeId: dto.storeId, brandId }, card.terms);
    return quote(card, card.terms, { brandId, amountFen: dto.amountFen, ...known }, new Date());
  }

  /** Takes an active card out of use, for a reason. */
  async void(dto: VoidCardMessage, actor: Actor): Promise<CardView> {
    requireRoles(actor, Role.Ops);
    return this.dataSource.transaction(async () => {
      const voided = await this.cards.void(dto.cardNo, dto.reason);
      if (!voided) {
        const card = await this.cards.findByNo(dto.cardNo);
        if (!card) throw notFound('Card');
        const status = effectiveStatus(card, new Date());
        throw new DomainError(
          ErrorCode.Conflict,
          `A card that is ${status} cannot be voided`,
          undefined,
          status === CardStatus.Redeemed ? CardIneligibility.Used : undefined,
        );
      }
      const event: CardVoidedEvent = { ...cardEventFacts(voided), reason: dto.reason, voidedAt: voided.voidedAt.toISOString() };
      await writeEvent(this.dataSource.manager, EVENTS.cardVoided, event);
      return cardView(voided, 'staff', new Date());
    });
  }
}
