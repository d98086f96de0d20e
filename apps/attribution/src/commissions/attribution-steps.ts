import { Injectable } from '@nestjs/common';
import { BookingCreatedEvent, CardEventName, ConsultationRecordedEvent, DealClosedEvent, DealRefundedEvent, LeadEventName, LeadFacts } from '@o2o/contracts';
import { CreditService } from '../credit/credit.service';
import { AttributionSteps, DealCredit } from '../events/steps';
import { SourcesService } from '../sources/sources.service';

/** Attribution's side of each event: facts per phone to the sources, deals and refunds to credit. */
@Injectable()
export class CommissionAttributionSteps extends AttributionSteps {
  constructor(
    private readonly sources: SourcesService,
    private readonly credit: CreditService,
  ) {
    super();
  }

  cardEvent(type: CardEventName, data: Record<string, unknown>, occurredAt: string): Promise<void> {
    return this.sources.recordCard(type, data, occurredAt);
  }

  bookingCreated(event: BookingCreatedEvent): Promise<void> {
    return this.sources.recordBooking(event);
  }

  consultationRecorded(event: ConsultationRecordedEvent): Promise<void> {
    return this.sources.recordConsultation(event);
  }

  leadEvent(type: LeadEventName, event: LeadFacts, occurredAt: string): Promise<void> {
    return this.sources.recordLead(type, event, occurredAt);
  }

  dealClosed(event: DealClosedEvent): Promise<DealCredit> {
    return this.credit.dealClosed(event);
  }

  dealRefunded(event: DealRefundedEvent): Promise<void> {
    return this.credit.dealRefunded(event);
  }
}
