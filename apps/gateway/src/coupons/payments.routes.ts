import { Controller, Param, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { COUPONS, PaymentCompletionView, SandboxOrderParams } from '@o2o/contracts';
import { GatewayClients } from '../core/gateway-clients';
import type { GatewayRequest } from '../core/request-meta';
import { Route } from '../core/route.decorator';

/**
 * Payment provider callbacks. The sandbox completes an order by its id; a real provider's signed
 * callback would come in beside it and reach the same completion with its raw body and headers.
 */
@ApiTags('privilege cards')
@Controller()
export class PaymentsRoutes {
  constructor(private readonly clients: GatewayClients) {}

  @Route({
    method: 'POST',
    path: 'payments/sandbox/:orderId/complete',
    summary: 'Complete a sandbox payment: the card becomes active once, however often this repeats',
    access: 'public',
    status: 200,
    response: PaymentCompletionView,
    errors: [400, 404, 504],
  })
  completeSandbox(@Param() params: SandboxOrderParams, @Req() req: GatewayRequest): Promise<PaymentCompletionView> {
    return this.clients.call('coupons', COUPONS.completePayment, { provider: 'sandbox', ...params }, req);
  }
}
