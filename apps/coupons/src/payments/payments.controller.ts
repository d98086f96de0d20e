import { Controller } from '@nestjs/common';
import { CompletePaymentDto, COUPONS, PaymentCompletion } from '@o2o/contracts';
import { Command, Data } from '@o2o/platform';
import { PaymentsService } from './payments.service';

@Controller()
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Command(COUPONS.completePayment)
  complete(@Data() dto: CompletePaymentDto): Promise<PaymentCompletion> {
    return this.payments.complete(dto);
  }
}
