import { badInput } from '@o2o/platform';
import { ConfirmedPayment, OpenedPayment, PaymentNotice, PaymentProvider, PaymentRequest } from './payment-provider';

/**
 * The built-in provider for development and tests: nothing is charged, and the public route
 * POST /v1/payments/sandbox/{orderId}/complete stands for the provider's callback. Only orders
 * opened with the sandbox can be completed by it.
 */
export class SandboxPaymentProvider implements PaymentProvider {
  readonly name = 'sandbox';

  async open(request: PaymentRequest): Promise<OpenedPayment> {
    return { payUrl: `/v1/payments/sandbox/${request.orderId}/complete` };
  }

  async confirm(notice: PaymentNotice): Promise<ConfirmedPayment> {
    if (!notice.orderId) throw badInput('The sandbox needs the order id', [{ field: 'orderId', message: 'is required' }]);
    return { orderId: notice.orderId, providerRef: `sandbox-${notice.orderId}` };
  }
}
