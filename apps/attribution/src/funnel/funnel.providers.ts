import { Injectable, Provider, Type } from '@nestjs/common';
import { FunnelSteps } from '../events/steps';

// Placeholder until the funnel is built: counts nothing.
@Injectable()
class NoFunnel extends FunnelSteps {
  async consultationRecorded(): Promise<void> {}
  async bookingCreated(): Promise<void> {}
  async bookingVisited(): Promise<void> {}
  async dealClosed(): Promise<void> {}
}

export const FUNNEL_CONTROLLERS: Type<unknown>[] = [];
export const FUNNEL_PROVIDERS: Provider[] = [NoFunnel, { provide: FunnelSteps, useExisting: NoFunnel }];
