import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { BrandCreatedData, EventEnvelope, EVENTS, StoreEventData } from '@o2o/contracts';
import { EventConsumer, LOGGER } from '@o2o/platform';
import type { Logger } from 'pino';
import { EntityManager } from 'typeorm';
import { CampaignTerms, DealFacts } from '../cards/eligibility';

export interface StoreFact {
  id: string;
  city: string;
  asOf: string;
}

export interface BrandFact {
  id: string;
  categories: string[];
  asOf: string;
}

/**
 * Coupons' own copy of the catalog facts a quote needs: each store's city and each brand's
 * categories. Events may arrive out of order; the newest one wins.
 */
@Injectable()
export class CatalogFactsService {
  async recordStore(m: EntityManager, fact: StoreFact): Promise<void> {
    await m.query(
      `INSERT INTO known_stores (id, city, as_of) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET city = EXCLUDED.city, as_of = EXCLUDED.as_of WHERE known_stores.as_of <= EXCLUDED.as_of`,
      [fact.id, fact.city, fact.asOf],
    );
  }

  async recordBrand(m: EntityManager, fact: BrandFact): Promise<void> {
    await m.query(
      `INSERT INTO known_brands (id, categories, as_of) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET categories = EXCLUDED.categories, as_of = EXCLUDED.as_of WHERE known_brands.as_of <= EXCLUDED.as_of`,
      [fact.id, fact.categories, fact.asOf],
    );
  }

  /** The deal's facts, looking up only what the campaign's scope needs. */
  async dealFacts(m: EntityManager, terms: CampaignTerms, deal: { storeId: string; brandId: string; amountFen: number }): Promise<DealFacts> {
    const [store] = terms.cities.length ? await m.query<{ city: string }[]>('SELECT city FROM known_stores WHERE id = $1', [deal.storeId]) : [];
    const [brand] = terms.categories.length ? await m.query<{ categories: string[] }[]>('SELECT categories FROM known_brands WHERE id = $1', [deal.brandId]) : [];
    return { brandId: deal.brandId, amountFen: deal.amountFen, storeCity: store?.city, brandCategories: brand?.categories };
  }
}

export function storeFactOf(event: EventEnvelope): StoreFact | undefined {
  const data = event.data as Partial<StoreEventData>;
  return typeof data.id === 'string' && typeof data.city === 'string' ? { id: data.id, city: data.city, asOf: event.occurredAt } : undefined;
}

export function brandFactOf(event: EventEnvelope): BrandFact | undefined {
  const data = event.data as Partial<BrandCreatedData>;
  const categories = data.categories;
  return typeof data.id === 'string' && Array.isArray(categories) && categories.every((c) => typeof c === 'string')
    ? { id: data.id, categories, asOf: event.occurredAt }
    : undefined;
}

/** Feeds the copy from the catalog's events, each applied once with its event id. */
@Injectable()
export class CatalogFactsListener implements OnModuleInit {
  constructor(
    private readonly consumer: EventConsumer,
    private readonly facts: CatalogFactsService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    const onStore = async (event: EventEnvelope, m: EntityManager) => {
      const fact = storeFactOf(event);
      if (fact) await this.facts.recordStore(m, fact);
      else this.malformed(event);
    };
    this.consumer.on(EVENTS.storeCreated, onStore);
    this.consumer.on(EVENTS.storeUpdated, onStore);
    this.consumer.on(EVENTS.brandCreated, async (event, m) => {
      const fact = brandFactOf(event);
      if (fact) await this.facts.recordBrand(m, fact);
      else this.malformed(event);
    });
  }

  /** Retrying cannot fix a payload; it is recorded as processed and reported. */
  private malformed(event: EventEnvelope): void {
    this.logger.error({ eventId: event.id, type: event.type }, 'catalog event without the expected fields; skipped');
  }
}
