import { IsIn, IsISO8601 } from 'class-validator';
import type { EventName } from './events';
import { SERVICE_NAMES, ServiceName } from './services';

/**
 * Asks a producer to republish its own outbox events of the consumer's subscribed types, from a
 * given time, into that consumer's queues. Internal: the tools send it, the gateway never does.
 */
export const eventsReplayPattern = (producer: ServiceName): string => `${producer}.events.replay`;

export class ReplayEventsDto {
  @IsIn(SERVICE_NAMES, { message: `consumer must be one of ${SERVICE_NAMES.join(', ')}` })
  consumer!: ServiceName;

  /** Events that occurred at or after this time are republished. */
  @IsISO8601({ strict: true }, { message: 'since must be an ISO 8601 time, e.g. 2025-01-31T00:00:00Z' })
  since!: string;
}

export interface ReplayEventsResult {
  producer: ServiceName | 'gateway';
  consumer: ServiceName;
  /** The consumer's subscribed types the producer looked for. */
  types: EventName[];
  /** Outbox events put back into the consumer's queues; ones it has processed are skipped there. */
  republished: number;
}
