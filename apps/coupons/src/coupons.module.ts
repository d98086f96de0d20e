import { Module } from '@nestjs/common';
import { loadConfig, ServicePlatformModule } from '@o2o/platform';
import { CampaignsController } from './campaigns/campaigns.controller';
import { CampaignsRepository } from './campaigns/campaigns.repository';
import { CampaignsService } from './campaigns/campaigns.service';
import { RedeemedCounts } from './campaigns/redeemed-counts';
import { CardExpiryService } from './cards/card-expiry.service';
import { CardsController } from './cards/cards.controller';
import { CardsRepository } from './cards/cards.repository';
import { CardsService } from './cards/cards.service';
import { RedemptionsRepository } from './cards/redemptions.repository';
import { RedemptionsService } from './cards/redemptions.service';
import { CatalogFactsListener } from './catalog-facts/catalog-facts.listener';
import { CatalogFactsService } from './catalog-facts/catalog-facts.service';
import { KnownBrandsRepository } from './catalog-facts/known-brands.repository';
import { KnownStoresRepository } from './catalog-facts/known-stores.repository';
import { COUPONS_CONFIG, CouponsConfig } from './coupons.config';
import { CouponsJobs } from './jobs/coupons-jobs';
import { couponsMigrations } from './migrations';
import { PaymentOrdersRepository } from './payments/payment-orders.repository';
import { PaymentProviders } from './payments/payment-provider';
import { PaymentsController } from './payments/payments.controller';
import { PaymentsService } from './payments/payments.service';
import { PurchaseCardUseCase } from './payments/purchase-card.use-case';
import { SandboxPaymentProvider } from './payments/sandbox.provider';

@Module({
  imports: [ServicePlatformModule.forService({ name: 'coupons', migrations: couponsMigrations })],
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
    CampaignsRepository,
    CampaignsService,
    // Campaign views count redeemed cards through the cards repository; campaigns import no card code.
    { provide: RedeemedCounts, useExisting: CardsRepository },
    KnownStoresRepository,
    KnownBrandsRepository,
    CatalogFactsService,
    CatalogFactsListener,
    CardsRepository,
    RedemptionsRepository,
    CardsService,
    RedemptionsService,
    CardExpiryService,
    PaymentOrdersRepository,
    PurchaseCardUseCase,
    PaymentsService,
    CouponsJobs,
  ],
})
export class CouponsModule {}
