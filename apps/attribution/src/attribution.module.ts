import { Module } from '@nestjs/common';
import { loadConfig, ServicePlatformModule } from '@o2o/platform';
import { ATTRIBUTION_CONFIG, AttributionConfig } from './attribution.config';
import { COMMISSIONS_CONTROLLERS, COMMISSIONS_PROVIDERS } from './commissions/commissions.providers';
import { AttributionEventsListener } from './events/attribution-events.listener';
import { FUNNEL_CONTROLLERS, FUNNEL_PROVIDERS } from './funnel/funnel.providers';
import { attributionMigrations } from './migrations';

@Module({
  imports: [ServicePlatformModule.forService({ name: 'attribution', migrations: attributionMigrations })],
  controllers: [...FUNNEL_CONTROLLERS, ...COMMISSIONS_CONTROLLERS],
  providers: [
    { provide: ATTRIBUTION_CONFIG, useFactory: () => loadConfig(AttributionConfig) },
    // Touchpoints and the funnel's rollups.
    ...FUNNEL_PROVIDERS,
    // Sources per phone, deal credit, commission rules, ledger and statements.
    ...COMMISSIONS_PROVIDERS,
    // Every event, handed to both.
    AttributionEventsListener,
  ],
})
export class AttributionModule {}
