import { Provider, Type } from '@nestjs/common';
import { CreditController } from '../credit/credit.controller';
import { CreditService } from '../credit/credit.service';
import { DealAttributionsRepository } from '../credit/deal-attributions.repository';
import { AttributionSteps } from '../events/steps';
import { ApprovalJobs } from '../ledger/approval.jobs';
import { CommissionsRepository } from '../ledger/commissions.repository';
import { LedgerController } from '../ledger/ledger.controller';
import { LedgerService } from '../ledger/ledger.service';
import { CommissionRulesRepository } from '../rules/commission-rules.repository';
import { RulesController } from '../rules/rules.controller';
import { RulesService } from '../rules/rules.service';
import { LeadOwnersRepository } from '../sources/lead-owners.repository';
import { SourceBookingsRepository } from '../sources/source-bookings.repository';
import { SourceCardsRepository } from '../sources/source-cards.repository';
import { SourceConsultationsRepository } from '../sources/source-consultations.repository';
import { SourcesService } from '../sources/sources.service';
import { CommissionStatementsRepository } from '../statements/commission-statements.repository';
import { StatementsController } from '../statements/statements.controller';
import { StatementsService } from '../statements/statements.service';
import { CommissionAttributionSteps } from './attribution-steps';

/** Commission rules, deal attribution, the ledger and statements. */
export const COMMISSIONS_CONTROLLERS: Type<unknown>[] = [RulesController, CreditController, LedgerController, StatementsController];

export const COMMISSIONS_PROVIDERS: Provider[] = [
  // Each phone's sources, from the other services' events.
  SourceCardsRepository,
  SourceBookingsRepository,
  SourceConsultationsRepository,
  LeadOwnersRepository,
  SourcesService,
  // Versioned commission rules.
  CommissionRulesRepository,
  RulesService,
  // The ledger, and its approval sweep.
  CommissionsRepository,
  LedgerService,
  ApprovalJobs,
  // Deal credit: attribution, flags, entries and clawbacks.
  DealAttributionsRepository,
  CreditService,
  // Statements.
  CommissionStatementsRepository,
  StatementsService,
  // How the events reach all of the above.
  CommissionAttributionSteps,
  { provide: AttributionSteps, useExisting: CommissionAttributionSteps },
];
