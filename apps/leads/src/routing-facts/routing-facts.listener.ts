import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { BrandCreatedData, BrandJoinedStoreData, EventEnvelope, EVENTS, StoreEventData } from '@o2o/contracts';
import { EventConsumer, LOGGER } from '@o2o/platform';
import type { Logger } from 'pino';
import { BrandFact, KnownBrandsRepository } from './known-brands.repository';
import { KnownStoresRepository, StoreFact } from './known-stores.repository';
import { StoreBrandsRepository, TenancyFact } from './store-brands.repository';

const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

export function storeFactOf(event: EventEnvelope): StoreFact | undefined {
  const data = event.data as Partial<StoreEventData>;
  return isText(data.id) && isText(data.city) ? { id: data.id, city: data.city, asOf: event.occurredAt } : undefined;
}

export function brandFactOf(event: EventEnvelope): BrandFact | undefined {
  const data = event.data as Partial<BrandCreatedData>;
  return isText(data.id) && typeof data.name === 'string' ? { id: data.id, name: data.name, asOf: event.occurredAt } : undefined;
}

export function tenancyFactOf(event: EventEnvelope): TenancyFact | undefined {
  const data = event.data as Partial<BrandJoinedStoreData>;
  return isText(data.storeId) && isText(data.brandId) && isText(data.city)
    ? { storeId: data.storeId, brandId: data.brandId, city: data.city, asOf: event.occurredAt }
    : undefined;
}

/** Feeds leads' copy of stores, brands and tenancies (what routing needs) from the catalog's events, each applied once. */
@Injectable()
export class RoutingFactsListener implements OnModuleInit {
  constructor(
    private readonly consumer: EventConsumer,
    private readonly stores: KnownStoresRepository,
    private readonly brands: KnownBrandsRepository,
    private readonly tenancies: StoreBrandsRepository,
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
    this.consumer.on(EVENTS.brandJoinedStore, async (event) => {
      const fact = tenancyFactOf(event);
      if (fact) await this.tenancies.record(fact);
      else this.malformed(event);
    });
  }

  /** Retrying cannot fix a payload; it is recorded as processed and reported. */
  private malformed(event: EventEnvelope): void {
    this.logger.error({ eventId: event.id, type: event.type }, 'catalog event without the expected fields; skipped');
  }
}
