import { Module } from '@nestjs/common';
import { COMMISSIONS_ROUTES } from './commissions.routes';
import { FUNNEL_ROUTES } from './funnel.routes';

/** The attribution service's routes: touchpoints and the funnel; commission rules, deal attribution, the ledger and statements. */
@Module({ controllers: [...FUNNEL_ROUTES, ...COMMISSIONS_ROUTES] })
export class AttributionGatewayModule {}
