import { Module } from '@nestjs/common';
import { CampaignsRoutes } from './campaigns.routes';
import { CardsRoutes } from './cards.routes';
import { PaymentsRoutes } from './payments.routes';

/** The coupons service's routes: privilege-card campaigns, cards, and payment callbacks. */
@Module({ controllers: [CampaignsRoutes, CardsRoutes, PaymentsRoutes] })
export class CouponsGatewayModule {}
