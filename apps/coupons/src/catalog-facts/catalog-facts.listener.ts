import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { BrandCreatedData, EventEnvelope, EVENTS, StoreEventData } from '@o2o/contracts';
import { EventConsumer, LOGGER } from '@o2o/platform';
import type { Logger } from 'pino';
import { BrandFact, KnownBrandsRepository } from './known-brands.repository';
import { KnownStoresRepository, StoreFact } from './known-stores.repository';

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

/** Feeds coupons' copy of store cities and brand categories from the catalog's events, each applied once. */
@Injectable()
export class CatalogFactsListener implements OnModuleInit {
  constructor(
    private readonly consumer: EventConsumer,
    private readonly stores: KnownStoresRepository,
    private readonly brands: KnownBrandsRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    // The consumer runs each handler in the transaction that records the event id; the
    // repositories' queries join it.
    const onStore = async (event: EventEnvelope) => {
      const fact = storeFactOf(event);
      if (fact) await this.stores.record(fact);
      else this.malformed(event);
    };
    this.consumer.on(EVENTS.storeCreated, onStore);
    this.consumer.on(EVENTS.storeUpdated, onStore);
    this.consumer.on(EVENTS.brandCreated, async (event) => {
      const fact = brandFactOf(event);
      if (fact) await this.brands.record(fact);
      else this.malformed(event);
    });
  }

  /** Retrying cannot fix a payload; it is recorded as processed and reported. */
  private malformed(event: EventEnvelope): void {
    this.logger.error({ eventId: event.id, type: event.type }, 'catalog event without the expected fields; skipped');
  }
}
