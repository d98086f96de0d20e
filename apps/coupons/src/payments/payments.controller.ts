import { Controller } from '@nestjs/common';
import { CompletePaymentMessage, COUPONS, PaymentCompletionView, PurchaseCardDto, PurchaseView } from '@o2o/contracts';
import { Command, Data } from '@o2o/platform';
import { PaymentsService } from './payments.service';
import { PurchaseCardUseCase } from './purchase-card.use-case';

@Controller()
export class PaymentsController {
  constructor(
    private readonly purchases: PurchaseCardUseCase,
    private readonly payments: PaymentsService,
  ) {}

  @Command(COUPONS.purchaseCard)
  purchase(@Data() dto: PurchaseCardDto): Promise<PurchaseView> {
    return this.purchases.purchase(dto);
  }

  @Command(COUPONS.completePayment)
  complete(@Data() dto: CompletePaymentMessage): Promise<PaymentCompletionView> {
    return this.payments.complete(dto);
  }
}
