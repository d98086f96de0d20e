import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { BrandJoinedStoreData, EventEnvelope, EVENTS, StoreEventData } from '@o2o/contracts';
import { EventConsumer, LOGGER } from '@o2o/platform';
import type { Logger } from 'pino';
import { StoreFact, StoreFactsRepository, TenancyFact } from './store-facts.repository';

const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0;

export function storeFactOf(event: EventEnvelope): StoreFact | undefined {
  const d = event.data as Partial<StoreEventData>;
  const complete =
    isText(d.id) && isText(d.city) && isText(d.timeZone) && isText(d.opensAt) && isText(d.closesAt) && isCount(d.slotMinutes) && isCount(d.slotCapacity);
  if (!complete) return undefined;
  return {
    id: d.id!,
    name: typeof d.name === 'string' ? d.name : '',
    city: d.city!,
    timeZone: d.timeZone!,
    opensAt: d.opensAt!,
    closesAt: d.closesAt!,
    slotMinutes: d.slotMinutes!,
    slotCapacity: d.slotCapacity!,
    asOf: event.occurredAt,
  };
}

export function tenancyFactOf(event: EventEnvelope): TenancyFact | undefined {
  const d = event.data as Partial<BrandJoinedStoreData>;
  return isText(d.storeId) && isText(d.brandId) && isText(d.city)
    ? { storeId: d.storeId, brandId: d.brandId, city: d.city, asOf: event.occurredAt }
    : undefined;
}

/** Keeps booking's copy of stores (hours, time zone, slots) and their tenants from the catalog's events, each applied once. */
@Injectable()
export class StoreFactsListener implements OnModuleInit {
  constructor(
    private readonly consumer: EventConsumer,
    private readonly facts: StoreFactsRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    const onStore = async (event: EventEnvelope) => {
      const fact = storeFactOf(event);
      if (fact) await this.facts.recordStore(fact);
      else this.malformed(event);
    };
    this.consumer.on(EVENTS.storeCreated, onStore);
    this.consumer.on(EVENTS.storeUpdated, onStore);
    this.consumer.on(EVENTS.brandJoinedStore, async (event) => {
      const fact = tenancyFactOf(event);
      if (fact) await this.facts.recordTenancy(fact);
      else this.malformed(event);
    });
  }

  /** Retrying cannot fix a payload; it is recorded as processed and reported. */
  private malformed(event: EventEnvelope): void {
    this.logger.error({ eventId: event.id, type: event.type }, 'catalog event without the expected fields; skipped');
  }
}
