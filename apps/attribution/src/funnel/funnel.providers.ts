import { Provider, Type } from '@nestjs/common';
import { FunnelSteps } from '../events/steps';
import { TouchpointsController } from '../touchpoints/touchpoints.controller';
import { TouchpointsRepository } from '../touchpoints/touchpoints.repository';
import { TouchpointsService } from '../touchpoints/touchpoints.service';
import { VisitorBoundsRepository } from '../touchpoints/visitor-bounds.repository';
import { VisitorHoursRepository } from '../touchpoints/visitor-hours.repository';
import { VisitorsRepository } from '../touchpoints/visitors.repository';
import { FunnelBookingsRepository } from './funnel-bookings.repository';
import { FunnelConsultationsRepository } from './funnel-consultations.repository';
import { FunnelDaysRepository } from './funnel-days.repository';
import { FunnelDealsRepository } from './funnel-deals.repository';
import { FunnelHoursRepository } from './funnel-hours.repository';
import { FunnelStepCounter } from './funnel-steps';
import { FunnelStoreVisitsRepository } from './funnel-store-visits.repository';
import { FunnelController } from './funnel.controller';
import { FunnelService } from './funnel.service';

export const FUNNEL_CONTROLLERS: Type<unknown>[] = [TouchpointsController, FunnelController];

export const FUNNEL_PROVIDERS: Provider[] = [
  // Touchpoints and their distinct-visitor rollups.
  TouchpointsRepository,
  VisitorsRepository,
  VisitorHoursRepository,
  VisitorBoundsRepository,
  TouchpointsService,
  // The steps after the visit: raw rows and hourly rollups, moved by attribution's events.
  FunnelConsultationsRepository,
  FunnelBookingsRepository,
  FunnelStoreVisitsRepository,
  FunnelDealsRepository,
  FunnelHoursRepository,
  FunnelDaysRepository,
  FunnelStepCounter,
  { provide: FunnelSteps, useExisting: FunnelStepCounter },
  // The report.
  FunnelService,
];
