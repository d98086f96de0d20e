import { ANONYMOUS, eventsReplayPattern, EventName, ReplayEventsDto, ReplayEventsResult, SERVICE_NAMES, ServiceName } from '@o2o/contracts';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { ServiceConfig } from '../config/config';
import { flattenValidationErrors } from '../errors/validation';
import { ServiceLiveness } from '../health/liveness';
import { redisOptionsFromUrl } from '../transport/redis-url';
import { ServiceClient } from '../transport/service-client';
import { createTransportClient } from '../transport/transport';

export interface ProducerReplay {
  producer: ServiceName;
  /** Events the producer put back into the consumer's queues; absent when it did not answer. */
  republished?: number;
  types?: EventName[];
  error?: string;
}

/**
 * Asks every service, over the transport, to republish its own outbox events of the consumer's
 * subscribed types since a time. Each producer reads only its own outbox; the consumer drops the
 * events it has already processed, so replaying twice is harmless.
 */
export async function replayEvents(config: ServiceConfig, request: ReplayEventsDto, options: { timeoutMs?: number } = {}): Promise<ProducerReplay[]> {
  const dto = plainToInstance(ReplayEventsDto, request);
  const problems = flattenValidationErrors(validateSync(dto));
  if (problems.length > 0) throw new Error(problems.map((p) => `${p.field}: ${p.message}`).join('; '));

  const redis = new Redis({ ...redisOptionsFromUrl(config.REDIS_URL), maxRetriesPerRequest: 1 });
  const liveness = new ServiceLiveness(redis, config.O2O_NAMESPACE);
  const transport = createTransportClient(config);
  try {
    await liveness.start();
    await transport.connect();
    const timeoutMs = options.timeoutMs ?? 120_000;
    return await Promise.all(
      SERVICE_NAMES.map(async (producer): Promise<ProducerReplay> => {
        const client = new ServiceClient(producer, transport, liveness, timeoutMs);
        try {
          const result = await client.send<ReplayEventsResult>(
            eventsReplayPattern(producer),
            { consumer: dto.consumer, since: dto.since },
            { correlationId: randomUUID(), actor: ANONYMOUS },
          );
          return { producer, republished: result.republished, types: result.types };
        } catch (e) {
          return { producer, error: e instanceof Error ? e.message : String(e) };
        }
      }),
    );
  } finally {
    liveness.stop();
    await transport.close();
    redis.disconnect();
  }
}
