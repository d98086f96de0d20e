import { Controller, Inject } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { eventsReplayPattern, ReplayEventsDto, ReplayEventsResult, ServiceName } from '@o2o/contracts';
import { requestContext } from '../logging/context';
import { Data } from '../rpc/rpc-params';
import { OutboxRelay } from './outbox-relay';

/**
 * Answers `<service>.events.replay`: the service republishes its own outbox events into another
 * service's queues, so that no tool reads another service's tables.
 */
export function eventsReplayControllerFor(service: ServiceName) {
  @Controller()
  class EventsReplayController {
    constructor(@Inject(OutboxRelay) private readonly relay: OutboxRelay) {}

    @MessagePattern(eventsReplayPattern(service))
    replay(@Data() dto: ReplayEventsDto): Promise<ReplayEventsResult> {
      return this.relay.republish(dto.consumer, new Date(dto.since), { deadline: requestContext.getStore()?.deadline });
    }
  }
  return EventsReplayController;
}
