import { Module } from '@nestjs/common';
import { loadConfig, ServicePlatformModule } from '@o2o/platform';
import { AssignmentController } from './assignment/assignment.controller';
import { AssignmentService } from './assignment/assignment.service';
import { RotationCursorsRepository } from './assignment/rotation-cursors.repository';
import { IntakeListener } from './intake/intake.listener';
import { IntakeService } from './intake/intake.service';
import { LeadsJobs } from './jobs/leads-jobs';
import { LEADS_CONFIG, LeadsConfig } from './leads.config';
import { LeadHistoryRepository } from './leads/lead-history.repository';
import { LeadsController } from './leads/leads.controller';
import { LeadsRepository } from './leads/leads.repository';
import { LeadsService } from './leads/leads.service';
import { leadsMigrations } from './migrations';
import { PolicyController } from './policy/policy.controller';
import { PolicyRepository } from './policy/policy.repository';
import { PolicyService } from './policy/policy.service';
import { KnownBrandsRepository } from './routing-facts/known-brands.repository';
import { KnownStoresRepository } from './routing-facts/known-stores.repository';
import { RoutingFactsListener } from './routing-facts/routing-facts.listener';
import { StoreBrandsRepository } from './routing-facts/store-brands.repository';
import { StaffAvailability } from './staff/staff-availability';
import { StaffController } from './staff/staff.controller';
import { StaffRepository } from './staff/staff.repository';
import { StaffService } from './staff/staff.service';
import { WEBHOOKS_CONTROLLERS, WEBHOOKS_PROVIDERS } from './webhooks/webhooks.providers';

@Module({
  imports: [ServicePlatformModule.forService({ name: 'leads', migrations: leadsMigrations })],
  controllers: [StaffController, PolicyController, LeadsController, AssignmentController, ...WEBHOOKS_CONTROLLERS],
  providers: [
    { provide: LEADS_CONFIG, useFactory: () => loadConfig(LeadsConfig) },
    // Staff and policy.
    StaffRepository,
    StaffService,
    PolicyRepository,
    PolicyService,
    // Routing facts from the catalog's events.
    KnownStoresRepository,
    KnownBrandsRepository,
    StoreBrandsRepository,
    RoutingFactsListener,
    // Leads: reading, intake, assignment and SLA.
    LeadsRepository,
    LeadHistoryRepository,
    LeadsService,
    IntakeService,
    IntakeListener,
    RotationCursorsRepository,
    AssignmentService,
    // Staff tells assignment when someone may have become eligible; staff imports no assignment code.
    { provide: StaffAvailability, useExisting: AssignmentService },
    LeadsJobs,
    // Partner webhooks, last: their listener registers after the core's handlers.
    ...WEBHOOKS_PROVIDERS,
  ],
})
export class LeadsModule {}
