import { Module } from '@nestjs/common';
import { loadConfig, ServicePlatformModule } from '@o2o/platform';
import { BOOKING_CONFIG, BookingConfig } from './booking.config';
import { BookingChangesRepository } from './bookings/booking-changes.repository';
import { BookingsController } from './bookings/bookings.controller';
import { BookingsRepository } from './bookings/bookings.repository';
import { BookingsService } from './bookings/bookings.service';
import { ConsultationsController } from './consultations/consultations.controller';
import { ConsultationsRepository } from './consultations/consultations.repository';
import { ConsultationsService } from './consultations/consultations.service';
import { CardReversalListener } from './deals/card-reversal.listener';
import { CloseDealUseCase } from './deals/close-deal.use-case';
import { DealCompensation } from './deals/deal-compensation';
import { DealRecoveryJobs } from './deals/deal-recovery.jobs';
import { DealsController } from './deals/deals.controller';
import { DealsRepository } from './deals/deals.repository';
import { DealsService } from './deals/deals.service';
import { RefundDealUseCase } from './deals/refund-deal.use-case';
import { RefundsRepository } from './deals/refunds.repository';
import { LeadLinksListener } from './lead-links/lead-links.listener';
import { LeadOwnersRepository } from './lead-links/lead-owners.repository';
import { bookingMigrations } from './migrations';
import { SlotLoadsRepository } from './slots/slot-loads.repository';
import { SlotsController } from './slots/slots.controller';
import { SlotsService } from './slots/slots.service';
import { StaffFactsListener } from './staff-facts/staff-facts.listener';
import { StaffFactsRepository } from './staff-facts/staff-facts.repository';
import { StoreFactsListener } from './store-facts/store-facts.listener';
import { StoreFactsRepository } from './store-facts/store-facts.repository';

@Module({
  imports: [ServicePlatformModule.forService({ name: 'booking', migrations: bookingMigrations, calls: ['coupons'] })],
  controllers: [ConsultationsController, BookingsController, SlotsController, DealsController],
  providers: [
    { provide: BOOKING_CONFIG, useFactory: () => loadConfig(BookingConfig) },
    // Stores and tenants from the catalog's events.
    StoreFactsRepository,
    StoreFactsListener,
    // Who may close a deal at a store, from the leads roster's events.
    StaffFactsRepository,
    StaffFactsListener,
    // Consultations, booking orders, slots.
    ConsultationsRepository,
    ConsultationsService,
    BookingsRepository,
    BookingChangesRepository,
    BookingsService,
    SlotLoadsRepository,
    SlotsService,
    // Leads made from bookings.
    LeadOwnersRepository,
    LeadLinksListener,
    // Deals: the saga with coupons, its recovery, refunds.
    DealsRepository,
    RefundsRepository,
    DealCompensation,
    CloseDealUseCase,
    RefundDealUseCase,
    DealsService,
    CardReversalListener,
    DealRecoveryJobs,
  ],
})
export class BookingModule {}
