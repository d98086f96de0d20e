import { Module } from '@nestjs/common';
import { loadConfig, ServicePlatformModule } from '@o2o/platform';
import { CampaignEntity } from './campaigns/campaign.entity';
import { CampaignsController } from './campaigns/campaigns.controller';
import { CampaignsService } from './campaigns/campaigns.service';
import { CardExpiryService } from './cards/card-expiry.service';
import { CardEntity } from './cards/card.entity';
import { CardsController } from './cards/cards.controller';
import { CardsService } from './cards/cards.service';
import { RedemptionEntity } from './cards/redemption.entity';
import { RedemptionsService } from './cards/redemptions.service';
import { CatalogFactsListener, CatalogFactsService } from './catalog-facts/catalog-facts.service';
import { KnownBrandEntity } from './catalog-facts/known-brand.entity';
import { KnownStoreEntity } from './catalog-facts/known-store.entity';
import { COUPONS_CONFIG, CouponsConfig } from './coupons.config';
import { CouponsJobs } from './jobs/coupons-jobs';
import { couponsMigrations } from './migrations';
import { PaymentOrderEntity } from './payments/payment-order.entity';
import { PaymentProviders } from './payments/payment-provider';
import { PaymentsController } from './payments/payments.controller';
import { PaymentsService } from './payments/payments.service';
import { SandboxPaymentProvider } from './payments/sandbox.provider';

export const couponsEntities = [CampaignEntity, CardEntity, RedemptionEntity, PaymentOrderEntity, KnownStoreEntity, KnownBrandEntity];

@Module({
  imports: [ServicePlatformModule.forService({ name: 'coupons', migrations: couponsMigrations, entities: couponsEntities })],
  controllers: [CampaignsController, CardsController, PaymentsController],
  providers: [
    { provide: COUPONS_CONFIG, useFactory: () => loadConfig(CouponsConfig) },
    {
      provide: PaymentProviders,
      useFactory: (config: CouponsConfig) => {
        const providers = new PaymentProviders([new SandboxPaymentProvider()]);
        // Fail at boot, not at the first purchase, when new orders would go to a missing adapter.
        if (!providers.has(config.PAYMENT_PROVIDER)) throw new Error(`PAYMENT_PROVIDER ${config.PAYMENT_PROVIDER} has no adapter`);
        return providers;
      },
      inject: [COUPONS_CONFIG],
    },
    CampaignsService,
    CatalogFactsService,
    CatalogFactsListener,
    CardsService,
    RedemptionsService,
    PaymentsService,
    CardExpiryService,
    CouponsJobs,
  ],
})
export class CouponsModule {}
