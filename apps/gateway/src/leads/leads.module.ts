import { Module } from '@nestjs/common';
import { StaffLoginsRepository } from '../auth/staff-logins.repository';
import { LeadsRoutes } from './leads.routes';
import { PolicyRoutes } from './policy.routes';
import { StaffRoutes } from './staff.routes';
import { StaffService } from './staff.service';
import { WebhooksRoutes } from './webhooks.routes';

/** The leads service's routes: staff (with their logins), assignment policy, leads, partner webhooks. */
@Module({ controllers: [StaffRoutes, PolicyRoutes, LeadsRoutes, WebhooksRoutes], providers: [StaffService, StaffLoginsRepository] })
export class LeadsGatewayModule {}
