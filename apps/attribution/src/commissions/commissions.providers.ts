import { Injectable, Provider, Type } from '@nestjs/common';
import { AttributionSteps, DealCredit } from '../events/steps';

// Placeholder until attribution is built: credits nothing.
@Injectable()
class NoAttribution extends AttributionSteps {
  async cardEvent(): Promise<void> {}
  async bookingCreated(): Promise<void> {}
  async consultationRecorded(): Promise<void> {}
  async leadEvent(): Promise<void> {}
  async dealClosed(): Promise<DealCredit> {
    return { channel: 'none', agentId: null };
  }
  async dealRefunded(): Promise<void> {}
}

export const COMMISSIONS_CONTROLLERS: Type<unknown>[] = [];
export const COMMISSIONS_PROVIDERS: Provider[] = [NoAttribution, { provide: AttributionSteps, useExisting: NoAttribution }];
