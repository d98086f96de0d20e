import { Actor, ErrorCode, EventEnvelope, EVENTS, LEADS, LeadStatus, Page, Role, WebhookDeliveryView, WebhookView } from '@o2o/contracts';
import { EventConsumer, newId, SIGNATURE_HEADER, verifyWebhookSignature, writeEvent } from '@o2o/platform';
import { eventually, ServiceHarness } from '@o2o/testing';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { startLeads } from '../../test/harness';
import { WebhookNotifier } from './webhook-notifier';

const admin: Actor = { kind: 'staff', userId: '0190f1c2-0000-7000-8000-0000000000ad', roles: [Role.Admin] };
const opsActor: Actor = { kind: 'staff', userId: '0190f1c2-0000-7000-8000-0000000000a1', roles: [Role.Ops] };
const partnerOf = (brandId: string): Actor => ({ kind: 'partner', keyId: newId(), brandId });

const SECRET = 'partner-secret-0123456789';

interface Received {
  path: string;
  body: string;
  event: { id: string; type: string; occurredAt: string; data: Record<string, unknown> };
  signatureValid: boolean;
  answered: number;
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => resolve(body));
  });

const leadFacts = (brandIds: string[]) => ({
  leadId: newId(),
  phone: '13812345678',
  city: 'Shanghai',
  storeId: newId(),
  ownerId: newId(),
  brandIds,
  status: LeadStatus.Assigned,
  slaDueAt: new Date(Date.now() + 1800_000).toISOString(),
  protectedUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
  at: new Date().toISOString(),
  reason: 'round_robin: next in rotation',
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('partner webhooks of leads (real Postgres, Redis and an HTTP receiver)', () => {
  let h: ServiceHarness;
  let ds: DataSource;
  let notifier: WebhookNotifier;
  let receiver: Server;
  let base: string;
  const received: Received[] = [];

  // The partner's side: checks the signature; under /flaky it fails the first two deliveries of each event.
  beforeAll(async () => {
    receiver = createServer((req, res) => {
      void readBody(req).then((body) => {
        const path = req.url ?? '/';
        const event = JSON.parse(body) as Received['event'];
        const seen = received.filter((r) => r.path === path && r.event.id === event.id).length;
        const answered = path.startsWith('/flaky') && seen < 2 ? 503 : 200;
        received.push({ path, body, event, signatureValid: verifyWebhookSignature(SECRET, req.headers[SIGNATURE_HEADER] as string, body), answered });
        res.writeHead(answered, { 'content-type': 'text/plain' }).end(answered === 200 ? 'thanks' : 'busy, try later');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    h = await startLeads({ env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_BACKOFF_MS: '100', WEBHOOK_SWEEP_SECONDS: '3600' } });
    ds = h.get(DataSource);
    notifier = h.get(WebhookNotifier);
  });

  afterAll(async () => {
    await h?.close();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  const register = (brandId: string, path: string, actor: Actor = admin) =>
    h.call<WebhookView>(LEADS.putWebhook, { brandId, url: `${base}${path}`, secret: SECRET }, { actor });
  const deliveriesOf = (brandId: string, actor: Actor = partnerOf(brandId), query: object = {}) =>
    h.call<Page<WebhookDeliveryView>>(LEADS.listWebhookDeliveries, { brandId, ...query }, { actor });
  const to = (path: string) => received.filter((r) => r.path === path);

  it('registers a webhook for an admin or the brand’s own key, and reads it back with the secret hidden', async () => {
    const brand = newId();
    const put = await register(brand, '/mine');
    expect(put).toEqual({ brandId: brand, url: `${base}/mine`, secretSet: true, updatedAt: expect.any(String) });
    const own = partnerOf(brand);
    const again = await h.call<WebhookView>(LEADS.putWebhook, { brandId: brand, url: `${base}/mine-2`, secret: `${SECRET}-2` }, { actor: own });
    expect(again.url).toBe(`${base}/mine-2`);
    const got = await h.call<WebhookView>(LEADS.getWebhook, { brandId: brand }, { actor: own });
    expect(got).toEqual({ brandId: brand, url: `${base}/mine-2`, secretSet: true, updatedAt: again.updatedAt });
    expect(JSON.stringify(got)).not.toContain(SECRET);
    await expect(h.call(LEADS.getWebhook, { brandId: newId() }, { actor: admin })).rejects.toMatchObject({ code: ErrorCode.NotFound });
  });

  it('answers a partner of another brand as if the webhook did not exist, and refuses staff who are not admin', async () => {
    const brand = newId();
    await register(brand, '/theirs');
    const stranger = partnerOf(newId());
    await expect(h.call(LEADS.getWebhook, { brandId: brand }, { actor: stranger })).rejects.toMatchObject({ code: ErrorCode.NotFound });
    await expect(h.call(LEADS.putWebhook, { brandId: brand, url: `${base}/hijack`, secret: SECRET }, { actor: stranger })).rejects.toMatchObject({
      code: ErrorCode.NotFound,
    });
    await expect(deliveriesOf(brand, stranger)).rejects.toMatchObject({ code: ErrorCode.NotFound });
    await expect(h.call(LEADS.putWebhook, { brandId: brand, url: `${base}/ops`, secret: SECRET }, { actor: opsActor })).rejects.toMatchObject({
      code: ErrorCode.Forbidden,
    });
    await expect(h.call(LEADS.getWebhook, { brandId: brand }, { actor: { kind: 'anonymous' } })).rejects.toMatchObject({ code: ErrorCode.Forbidden });
    expect((await h.call<WebhookView>(LEADS.getWebhook, { brandId: brand }, { actor: admin })).url).toBe(`${base}/theirs`);
  });

  it('refuses bad input with the field named, and changes nothing', async () => {
    const brand = newId();
    await register(brand, '/kept');
    for (const [body, field] of [
      [{ brandId: brand, url: 'ftp://partner.example.com/x', secret: SECRET }, 'url'],
      [{ brandId: brand, url: 'not a url', secret: SECRET }, 'url'],
      [{ brandId: brand, url: `${base}/short`, secret: 'short' }, 'secret'],
      [{ brandId: 'not-a-uuid', url: `${base}/x`, secret: SECRET }, 'brandId'],
      [{ brandId: brand, url: `${base}/extra`, secret: SECRET, extra: 1 }, 'extra'],
    ] as const) {
      await expect(h.call(LEADS.putWebhook, body, { actor: admin })).rejects.toMatchObject({
        code: ErrorCode.BadInput,
        errors: expect.arrayContaining([expect.objectContaining({ field })]),
      });
    }
    await expect(deliveriesOf(brand, admin, { cursor: 'junk' })).rejects.toMatchObject({ code: ErrorCode.BadInput });
    expect((await h.call<WebhookView>(LEADS.getWebhook, { brandId: brand }, { actor: admin })).url).toBe(`${base}/kept`);
  });

  it('delivers lead.assigned once its transaction commits, signed, retried with backoff until the third attempt, and lists all three attempts', async () => {
    const brand = newId();
    const unregistered = newId();
    await register(brand, '/flaky/lead');
    const facts = leadFacts([brand, unregistered]);
    let eventId = '';
    await ds.transaction(async (m) => {
      eventId = await writeEvent(m, EVENTS.leadAssigned, facts);
      await notifier.leadEvent(eventId, EVENTS.leadAssigned, facts);
      await notifier.leadEvent(eventId, EVENTS.leadAssigned, facts); // told twice: still one delivery
      await sleep(300);
      expect(to('/flaky/lead')).toHaveLength(0); // nothing leaves before the commit
    });
    await eventually(async () => to('/flaky/lead').some((r) => r.answered === 200), 15_000, 50);
    await sleep(300);

    const got = to('/flaky/lead');
    expect(got.map((r) => r.answered)).toEqual([503, 503, 200]);
    expect(got.every((r) => r.signatureValid)).toBe(true);
    const { data, ...envelope } = got[2].event;
    expect(envelope).toEqual({ id: eventId, type: EVENTS.leadAssigned, occurredAt: facts.at });
    expect(data).toMatchObject({ leadId: facts.leadId, phoneMasked: '138****5678', brandIds: [brand, unregistered], ownerId: facts.ownerId });
    expect(got[2].body).not.toContain('13812345678');

    const page = await deliveriesOf(brand);
    expect(page.items.map((d) => [d.eventId, d.type, d.attempt, d.statusCode, d.error ?? null])).toEqual([
      [eventId, EVENTS.leadAssigned, 3, 200, null],
      [eventId, EVENTS.leadAssigned, 2, 503, 'answered 503'],
      [eventId, EVENTS.leadAssigned, 1, 503, 'answered 503'],
    ]);
    expect(page.items[2].nextAttemptAt).toBeDefined();
    expect(page.items[0].nextAttemptAt).toBeUndefined();
    expect(page.nextCursor).toBeNull();
    // Pages of one: the cursor walks the same three.
    const first = await deliveriesOf(brand, admin, { limit: 1 });
    const second = await deliveriesOf(brand, admin, { limit: 1, cursor: first.nextCursor });
    expect([first.items[0].attempt, second.items[0].attempt]).toEqual([3, 2]);
  });

  it('sends nothing for a lead event whose transaction rolled back, nor for an id that is not in the outbox', async () => {
    const brand = newId();
    await register(brand, '/ok/rolled-back');
    const facts = leadFacts([brand]);
    await expect(
      ds.transaction(async (m) => {
        const id = await writeEvent(m, EVENTS.leadReassigned, facts);
        await notifier.leadEvent(id, EVENTS.leadReassigned, facts);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await notifier.leadEvent(newId(), EVENTS.leadReassigned, facts);
    await sleep(800);
    expect(to('/ok/rolled-back')).toHaveLength(0);
    expect((await deliveriesOf(brand)).items).toHaveLength(0);
  });

  it('sweeps up a committed lead event whose delivery was never scheduled (a crash after the commit), once', async () => {
    const brand = newId();
    await register(brand, '/ok/swept');
    const facts = leadFacts([brand]);
    const eventId = await ds.transaction((m) => writeEvent(m, EVENTS.leadReassigned, { ...facts, fromStaffId: null, toStaffId: facts.ownerId }));
    expect(await notifier.sweep()).toBeGreaterThanOrEqual(1);
    await eventually(async () => to('/ok/swept').length === 1, 10_000, 50);
    await notifier.sweep(); // its job exists: nothing more
    await notifier.leadEvent(eventId, EVENTS.leadReassigned, facts); // nor when the core's call comes late
    await sleep(500);
    expect(to('/ok/swept').map((r) => [r.event.id, r.event.type])).toEqual([[eventId, EVENTS.leadReassigned]]);
  });

  it('tells the brands a booking added to an owned lead that the lead is assigned, and not the brands it already named, now and by the sweep', async () => {
    const [before, added] = [newId(), newId()];
    await register(before, '/ok/linked-before');
    await register(added, '/ok/linked-added');
    const facts = { ...leadFacts([before, added]), bookingId: newId(), addedBrandIds: [added] };
    let eventId = '';
    await ds.transaction(async (m) => {
      eventId = await writeEvent(m, EVENTS.leadBookingLinked, facts);
      await notifier.leadEvent(eventId, EVENTS.leadBookingLinked, facts);
    });
    await eventually(async () => to('/ok/linked-added').length === 1, 10_000, 50);
    await notifier.sweep(); // the sweep finds the same event: its job exists, nothing more
    await sleep(500);
    expect(to('/ok/linked-added').map((r) => [r.event.id, r.event.type, r.signatureValid])).toEqual([[eventId, EVENTS.leadAssigned, true]]);
    expect(to('/ok/linked-added')[0].event.data).toMatchObject({ leadId: facts.leadId, ownerId: facts.ownerId, bookingId: facts.bookingId });
    expect(to('/ok/linked-before')).toHaveLength(0);
  });

  it('sends on booking.confirmed, deal.closed and deal.refunded received as events to each registered brand they name, once', async () => {
    const [a, b] = [newId(), newId()];
    await register(a, '/ok/a');
    await register(b, '/ok/b');
    const consumer = h.get(EventConsumer);
    const envelope = (type: EventEnvelope['type'], data: Record<string, unknown>): EventEnvelope => ({
      id: newId(),
      type,
      source: 'booking',
      occurredAt: new Date().toISOString(),
      data,
    });
    const confirmed = envelope(EVENTS.bookingConfirmed, {
      bookingId: newId(),
      phone: '13912345678',
      city: 'Shanghai',
      storeId: newId(),
      brandIds: [a, b, newId()],
      kind: 'store_visit',
      source: { channel: 'sem', campaign: 'kw-spring', agentId: 'agent-7', visitorId: 'v-1' },
      appointmentAt: new Date(Date.now() + 86_400_000).toISOString(),
      at: new Date().toISOString(),
    });
    const closed = envelope(EVENTS.dealClosed, { dealId: newId(), brandId: a, storeId: newId(), phone: '13912345678', amountFen: 700_000, budgetFen: 400_000 });
    const refunded = envelope(EVENTS.dealRefunded, { dealId: newId(), brandId: b, refundId: newId(), amountFen: 100, refundedTotalFen: 100, full: false });
    for (const e of [confirmed, closed, refunded]) expect(await consumer.handle(e)).toBe(true);
    expect(await consumer.handle(confirmed)).toBe(false); // delivered again by the relay: already handled
    await notifier.partnerEvent(confirmed); // and even scheduled again: the same job

    await eventually(async () => to('/ok/a').length === 2 && to('/ok/b').length === 2, 10_000, 50);
    await sleep(500);
    const types = (path: string) =>
      to(path)
        .map((r) => r.event.type)
        .sort();
    expect(types('/ok/a')).toEqual([EVENTS.bookingConfirmed, EVENTS.dealClosed]);
    expect(types('/ok/b')).toEqual([EVENTS.bookingConfirmed, EVENTS.dealRefunded]);
    const booking = to('/ok/a').find((r) => r.event.type === EVENTS.bookingConfirmed)!;
    expect(booking.event).toMatchObject({ id: confirmed.id, data: { phoneMasked: '139****5678', source: { channel: 'sem' } } });
    expect(booking.body).not.toMatch(/13912345678|kw-spring|agent-7/);
    expect(to('/ok/a').find((r) => r.event.type === EVENTS.dealClosed)!.event.data).not.toHaveProperty('budgetFen');
    expect([...to('/ok/a'), ...to('/ok/b')].every((r) => r.signatureValid)).toBe(true);
  });
});

describe('partner webhooks of leads, private addresses not allowed', () => {
  let h: ServiceHarness;

  beforeAll(async () => {
    h = await startLeads();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('refuses at registration a URL on a loopback or private address, naming url, and stores nothing', async () => {
    const brand = newId();
    for (const url of ['http://127.0.0.1:8080/hook', 'http://10.1.2.3/hook', 'http://169.254.169.254/latest/meta-data', 'http://localhost/hook']) {
      await expect(h.call(LEADS.putWebhook, { brandId: brand, url, secret: SECRET }, { actor: admin })).rejects.toMatchObject({
        code: ErrorCode.BadInput,
        errors: [expect.objectContaining({ field: 'url' })],
      });
    }
    await expect(h.call(LEADS.getWebhook, { brandId: brand }, { actor: admin })).rejects.toMatchObject({ code: ErrorCode.NotFound });
  });
});
