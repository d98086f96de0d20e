import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { EventEnvelope, EVENTS, STAFF_ROLES, StaffChangedEvent, StaffRole, Team, TEAMS } from '@o2o/contracts';
import { EventConsumer, LOGGER } from '@o2o/platform';
import type { Logger } from 'pino';
import { StaffFact, StaffFactsRepository } from './staff-facts.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);

export function staffFactOf(event: EventEnvelope): StaffFact | undefined {
  const d = event.data as Partial<StaffChangedEvent>;
  const complete =
    isUuid(d.staffId) &&
    (d.storeId === null || isUuid(d.storeId)) &&
    Array.isArray(d.brandIds) &&
    d.brandIds.every(isUuid) &&
    STAFF_ROLES.includes(d.role as StaffRole) &&
    TEAMS.includes(d.team as Team) &&
    typeof d.active === 'boolean';
  if (!complete) return undefined;
  return {
    staffId: d.staffId!.toLowerCase(),
    storeId: d.storeId?.toLowerCase() ?? null,
    brandIds: d.brandIds!.map((b) => b.toLowerCase()),
    role: d.role!,
    team: d.team!,
    active: d.active!,
    asOf: event.occurredAt,
  };
}

/** Keeps booking's copy of the leads roster from staff.changed, each event applied once. */
@Injectable()
export class StaffFactsListener implements OnModuleInit {
  constructor(
    private readonly consumer: EventConsumer,
    private readonly facts: StaffFactsRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.consumer.on(EVENTS.staffChanged, async (event) => {
      const fact = staffFactOf(event);
      if (fact) await this.facts.record(fact);
      // Retrying cannot fix a payload; it is recorded as processed and reported.
      else this.logger.error({ eventId: event.id, type: event.type }, 'staff event without the expected fields; skipped');
    });
  }
}
