import { eventually } from '@o2o/testing';
import { Client } from 'pg';
import { signIn } from './logins';
import { http, RunningStack } from './stack';

/**
 * Set-up steps of the O2O journey through the gateway, as shared/acceptance/golden-path.mjs takes
 * them: a store and its tenant brands, salespeople made with logins by POST /v1/staff, a card
 * campaign, a card bought and paid for.
 */

export const DAY_MS = 86_400_000;
export const STAFF_PASSWORD = 'secret-pass-1';

let phones = 0;
/** A mainland mobile number not used before in this process. */
export const newPhone = (): string => `139${String((Date.now() % 1e6) * 100 + (phones++ % 100)).padStart(8, '0')}`;

/** A calendar day (YYYY-MM-DD, UTC) `offset` days from now. */
export const dayFromNow = (offset: number): string => new Date(Date.now() + offset * DAY_MS).toISOString().slice(0, 10);

/** The Luhn digit that makes `payload` followed by it pass the check. */
export function luhnDigit(payload: string): string {
  let sum = 0;
  for (let i = 0; i < payload.length; i++) {
    let d = Number(payload[payload.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** A well-formed card number (channel code, 13 random digits, Luhn digit) that no one issued. */
export function unissuedCardNo(channelCode = '50'): string {
  const payload = channelCode + Array.from({ length: 13 }, () => Math.floor(Math.random() * 10)).join('');
  return payload + luhnDigit(payload);
}

export interface StoreSpec {
  name: string;
  city: string;
  slotCapacity?: number;
  opensAt?: string;
  closesAt?: string;
  slotMinutes?: number;
}

export interface Person {
  id: string;
  username: string;
  token: string;
  storeId: string | null;
}

export class O2OSetup {
  constructor(
    private readonly stack: RunningStack,
    private readonly admin: string,
    private readonly db: Client,
  ) {}

  private post<T>(path: string, body?: unknown, expected = 201) {
    return http<T>(this.stack.url, 'POST', path, { token: this.admin, body }).then((res) => {
      if (res.status !== expected) throw new Error(`POST ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
      return res.body;
    });
  }

  async store(spec: StoreSpec): Promise<string> {
    const body = { address: '1 Zhenbei Rd', opensAt: '09:00', closesAt: '21:00', slotMinutes: 60, slotCapacity: 2, ...spec };
    return (await this.post<{ id: string }>('/v1/stores', body)).id;
  }

  async brand(name: string, categories = ['bathroom']): Promise<string> {
    return (await this.post<{ id: string }>('/v1/brands', { name, categories })).id;
  }

  async tenancy(storeId: string, brandId: string): Promise<void> {
    const res = await http(this.stack.url, 'PUT', `/v1/stores/${storeId}/brands/${brandId}`, { token: this.admin, body: { booth: 'B2-018' } });
    if (res.status < 200 || res.status >= 300) throw new Error(`tenancy answered ${res.status}: ${JSON.stringify(res.body)}`);
  }

  /** Waits until booking's copy of the catalog (from its events) knows the store and these tenants. */
  async bookingKnows(storeId: string, brandIds: string[] = []): Promise<void> {
    await eventually(
      async () => {
        const store = await this.db.query('SELECT 1 FROM booking.stores WHERE id = $1', [storeId]);
        const tenants = await this.db.query('SELECT brand_id FROM booking.store_brands WHERE store_id = $1 AND brand_id = ANY($2::uuid[])', [
          storeId,
          brandIds,
        ]);
        return store.rowCount === 1 && tenants.rowCount === brandIds.length;
      },
      30_000,
      200,
    );
  }

  /** A store with its tenant brands, known to booking. */
  async storeWithBrands(spec: StoreSpec, brandIds: string[]): Promise<string> {
    const storeId = await this.store(spec);
    for (const brandId of brandIds) await this.tenancy(storeId, brandId);
    await this.bookingKnows(storeId, brandIds);
    return storeId;
  }

  /** Waits until booking's copy of the roster (from staff.changed) has the staff member, as `active` when named. */
  async bookingKnowsStaff(staffId: string, active?: boolean): Promise<void> {
    await eventually(
      async () => {
        const known = await this.db.query<{ active: boolean }>('SELECT active FROM booking.staff_facts WHERE staff_id = $1', [staffId]);
        return known.rowCount === 1 && (active === undefined || known.rows[0].active === active);
      },
      30_000,
      100,
    );
  }

  /** A store salesperson (or manager) made by POST /v1/staff with a login, signed in and known to booking (who may close deals). */
  async salesperson(name: string, storeId: string, brandIds: string[], username: string, role?: 'store_manager'): Promise<Person> {
    const made = await this.post<{ id: string }>('/v1/staff', {
      name,
      team: 'offline',
      storeId,
      brandIds,
      dailyCapacity: 20,
      username,
      password: STAFF_PASSWORD,
      ...(role ? { role } : {}),
    });
    const token = await signIn(this.stack, username, STAFF_PASSWORD);
    await this.bookingKnowsStaff(made.id);
    return { id: made.id, username, token, storeId };
  }

  async apiKey(brandId: string): Promise<string> {
    return (await this.post<{ key: string }>(`/v1/brands/${brandId}/api-keys`)).key;
  }

  /** A card campaign valid from yesterday for 90 days. */
  async campaign(name: string, benefit: Record<string, unknown>, more: Record<string, unknown> = {}): Promise<string> {
    const body = {
      name,
      priceFen: 100,
      benefit,
      validFrom: new Date(Date.now() - DAY_MS).toISOString(),
      validTo: new Date(Date.now() + 90 * DAY_MS).toISOString(),
      ...more,
    };
    return (await this.post<{ id: string }>('/v1/card-campaigns', body)).id;
  }

  /** Buys a card (public) and completes its sandbox payment; answers the card number once the card is active. */
  async activeCard(campaignId: string, holder = newPhone()): Promise<string> {
    const bought = await http<{ cardNo: string; payment: { orderId: string } }>(this.stack.url, 'POST', '/v1/cards', {
      body: { campaignId, phone: holder, source: { channel: 'sem', campaign: 'kw-deals' } },
    });
    if (bought.status !== 201) throw new Error(`POST /v1/cards answered ${bought.status}: ${JSON.stringify(bought.body)}`);
    const paid = await http(this.stack.url, 'POST', `/v1/payments/sandbox/${bought.body.payment.orderId}/complete`);
    if (paid.status !== 200) throw new Error(`payment answered ${paid.status}: ${JSON.stringify(paid.body)}`);
    await this.cardStatus(bought.body.cardNo, 'active');
    return bought.body.cardNo;
  }

  /** Waits until the public view of the card shows the status. */
  async cardStatus(cardNo: string, status: string, timeoutMs = 30_000): Promise<void> {
    await eventually(async () => (await http<{ status: string }>(this.stack.url, 'GET', `/v1/cards/${cardNo}`)).body?.status === status, timeoutMs, 200);
  }
}
