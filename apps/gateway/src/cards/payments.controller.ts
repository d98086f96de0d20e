import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { COUPONS, PaymentCompletion, SandboxOrderDto } from '@o2o/contracts';
import { Public } from '../auth/access.decorators';
import type { GatewayRequest } from '../core/request-meta';
import { GatewayClients } from '../core/gateway-clients';

/**
 * Payment provider callbacks. The sandbox completes an order by its id; a real provider's signed
 * callback would come in beside it and reach the same completion with its raw body and headers.
 */
@ApiTags('privilege cards')
@Controller('payments')
export class PaymentsController {
  constructor(private readonly clients: GatewayClients) {}

  @Public()
  @Post('sandbox/:orderId/complete')
  @HttpCode(200)
  @ApiOkResponse({ type: PaymentCompletion, description: 'Activates the card once; a repeated callback answers the same without activating again' })
  completeSandbox(@Param() params: SandboxOrderDto, @Req() req: GatewayRequest): Promise<PaymentCompletion> {
    return this.clients.call('coupons', COUPONS.completePayment, { provider: 'sandbox', orderId: params.orderId }, req);
  }
}
