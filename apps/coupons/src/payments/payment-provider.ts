import { notFound } from '@o2o/platform';

export interface PaymentRequest {
  orderId: string;
  amountFen: number;
  cardNo: string;
}

export interface OpenedPayment {
  /** Where the buyer goes to pay, when the provider has such a page. */
  payUrl?: string;
}

/** A provider's notification as it arrived: the sandbox names the order, real ones sign a body. */
export interface PaymentNotice {
  orderId?: string;
  body?: string;
  headers?: Record<string, string>;
}

export interface ConfirmedPayment {
  orderId: string;
  /** The provider's own transaction id; unique per provider. */
  providerRef: string;
  /** What the provider says was paid; checked against the order when given. */
  amountFen?: number;
}

/**
 * A payment provider adapter. `open` starts a payment for an order; `confirm` checks a
 * notification (its signature, for a real provider) and answers the payment it proves, or throws.
 */
export interface PaymentProvider {
  readonly name: string;
  open(request: PaymentRequest): Promise<OpenedPayment>;
  confirm(notice: PaymentNotice): Promise<ConfirmedPayment>;
}

/** The adapters this service can use, by name. */
export class PaymentProviders {
  private readonly byName: Map<string, PaymentProvider>;

  constructor(providers: PaymentProvider[]) {
    this.byName = new Map(providers.map((p) => [p.name, p]));
  }

  get(name: string): PaymentProvider {
    const provider = this.byName.get(name);
    if (!provider) throw notFound(`Payment provider ${name}`);
    return provider;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }
}
