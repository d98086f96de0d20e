import { Module } from '@nestjs/common';
import { LeadsRoutes } from './leads.routes';

/** The leads service's routes. */
@Module({ controllers: [LeadsRoutes] })
export class LeadsGatewayModule {}
