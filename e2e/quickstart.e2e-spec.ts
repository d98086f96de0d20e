import { eventually } from '@o2o/testing';
import { ChildProcess, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { signIn } from './support/logins';
import { dayFromNow, newPhone, O2OSetup } from './support/o2o-setup';
import { http, ROOT, RunningStack, startStack } from './support/stack';

jest.setTimeout(120_000);

/**
 * How the quick-start is found in README.md: everything between the two HTML comments below
 * (invisible on GitHub). Its ```sh blocks are run in order as one shell session; its single
 * ```js block is the partner's webhook receiver.
 */
const START = '<!-- partner-quickstart:start';
const END = '<!-- partner-quickstart:end -->';

function quickStart(): { sh: string[]; js: string } {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const from = readme.indexOf(START);
  const to = readme.indexOf(END);
  if (from < 0 || to < from) throw new Error('README.md has no partner quick-start markers');
  const blocks = [...readme.slice(from, to).matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1], code: m[2] }));
  const js = blocks.filter((b) => b.lang === 'js');
  if (js.length !== 1) throw new Error(`expected one js block in the quick-start, found ${js.length}`);
  return { sh: blocks.filter((b) => b.lang === 'sh').map((b) => b.code), js: js[0].code };
}

interface Delivery {
  headers: IncomingHttpHeaders;
  raw: Buffer;
}

/** The state of the partner's shell between blocks: every variable, exported. */
type ShellEnv = Record<string, string>;

/**
 * Runs one block as its own bash process, as if pasted into the same shell as the blocks before
 * it: `set -a` exports every assignment, and the environment it ends with seeds the next block.
 */
function runBlock(code: string, env: ShellEnv, dir: string): Promise<{ stdout: string; env: ShellEnv }> {
  const stateFile = path.join(dir, 'state.json');
  const script = `set -euo pipefail\nset -a\n${code}\njq -n env > ${JSON.stringify(stateFile)}\n`;
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`block exited ${code}:\n${script}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`));
      resolve({ stdout, env: JSON.parse(readFileSync(stateFile, 'utf8')) as ShellEnv });
    });
  });
}

const masked = (phone: string) => `${phone.slice(0, 3)}****${phone.slice(7)}`;

/**
 * README.md's "Partner quick-start", run as written against the whole stack: the partner is given
 * only what its account manager and its till would give it, pastes the blocks in order, and each
 * block's effect is checked through the API. Then the README's receiver is fed a real signed
 * delivery, and tampered, stale and wrongly keyed copies of it.
 */
describe("README's partner quick-start", () => {
  const RUN = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;
  const CITY = `Hangzhou-${RUN}`;
  const CARD_OFF_FEN = 50_000;
  const phone = newPhone();
  const amountFen = 300_000 + Math.floor(Math.random() * 500) * 1_000;
  const { sh, js } = quickStart();

  let stack: RunningStack;
  let db: Client;
  let admin: string;
  let receiver: Server;
  const deliveries: Delivery[] = [];
  let dir: string;
  const receivers: ChildProcess[] = [];

  let brandId: string;
  let storeId: string;
  let staffId: string;
  let cardNo: string;
  let leadId: string;
  let shell: ShellEnv;
  const outputs: string[] = [];

  const as = (token: string) => ({ token });
  const withKey = () => ({ headers: { 'x-api-key': shell.O2O_API_KEY } });
  /** Runs the quick-start's block `i` in the partner's shell, keeping what it set. */
  const paste = async (i: number) => {
    const run = await runBlock(sh[i], shell, dir);
    shell = run.env;
    outputs[i] = run.stdout;
    return run.stdout;
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'o2o-quickstart-'));
    // The partner's endpoint: it keeps each delivery's raw bytes and headers, to replay them later.
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        deliveries.push({ headers: req.headers, raw: Buffer.concat(chunks) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));

    stack = await startStack({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true' });
    db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
    admin = await signIn(stack, stack.env.ADMIN_USERNAME!, stack.env.ADMIN_PASSWORD!);
    const setup = new O2OSetup(stack, admin, db);

    // What the account manager gives the partner: its brand, a store it is a tenant of, a salesperson there.
    brandId = await setup.brand(`Quick Basins ${RUN}`, ['bathroom']);
    storeId = await setup.storeWithBrands({ name: `Xixi ${RUN}`, city: CITY }, [brandId]);
    staffId = (await setup.salesperson(`Sales ${RUN}`, storeId, [brandId], `qs-sales-${RUN}`)).id;
    // A customer who booked a visit (so the brand has a lead) and bought a card of a campaign naming the brand.
    const booked = await http<{ id: string }>(stack.url, 'POST', '/v1/bookings', {
      headers: { 'idempotency-key': `qs-booking-${RUN}` },
      body: {
        customer: { name: 'Ms Li', phone },
        city: CITY,
        storeId,
        brandIds: [brandId],
        kind: 'store_visit',
        preferredAt: `${dayFromNow(2)}T06:00:00.000Z`,
        source: { channel: 'sem' },
      },
    });
    expect(booked.status).toBe(201);
    leadId = await eventually(
      async () => (await http<{ leadId?: string }>(stack.url, 'GET', `/v1/bookings/${booked.body.id}`, as(admin))).body.leadId,
      30_000,
      200,
    );
    const campaignId = await setup.campaign(
      `Quick 500 off ${RUN}`,
      { type: 'amount_off', value: CARD_OFF_FEN, minSpendFen: 300_000 },
      { brandIds: [brandId], cities: [CITY] },
    );
    cardNo = await setup.activeCard(campaignId, phone);

    shell = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: dir,
      O2O_URL: stack.url,
      O2O_ADMIN_USER: stack.env.ADMIN_USERNAME!,
      O2O_ADMIN_PASSWORD: stack.env.ADMIN_PASSWORD!,
      BRAND_ID: brandId,
      STORE_ID: storeId,
      STAFF_ID: staffId,
      CARD_NO: cardNo,
      CUSTOMER_PHONE: phone,
      AMOUNT_FEN: String(amountFen),
      RECEIPT_NO: `R-${RUN}`,
      WEBHOOK_URL: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/o2o-events`,
    };
  });
  afterAll(async () => {
    for (const child of receivers) if (child.exitCode === null) child.kill('SIGTERM');
    await db?.end();
    if (stack) await stack.stop();
    await new Promise((resolve) => receiver?.close(resolve));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('has the five shell steps and the receiver, marked', () => {
    expect(sh.length).toBe(5);
    expect(js).toContain('x-o2o-signature');
    expect(sh[4]).toContain('/webhook/deliveries');
  });

  it('1: the admin issues a key that acts for the brand', async () => {
    await paste(0);
    expect(shell.O2O_API_KEY).toBeTruthy();
    expect((await http(stack.url, 'GET', '/v1/leads', withKey())).status).toBe(200);
    expect((await http(stack.url, 'GET', '/v1/leads', { headers: { 'x-api-key': `${shell.O2O_API_KEY}x` } })).status).toBe(401);
  });

  it("2: uploads the brand's product with its SKU, published and on display; a retry with the key answers the same product", async () => {
    await paste(1);
    const productId = shell.PRODUCT_ID;
    const product = await http<{ brandId: string; status: string; skus: { code: string }[]; stores: { id: string }[] }>(
      stack.url,
      'GET',
      `/v1/products/${productId}`,
    );
    expect(product.status).toBe(200);
    expect(product.body).toMatchObject({ brandId, status: 'published', stores: [expect.objectContaining({ id: storeId })] });
    expect(product.body.skus.length).toBe(1);
    expect(sh[1]).toContain(product.body.skus[0].code);

    await paste(1);
    expect(shell.PRODUCT_ID).toBe(productId);
    const listed = await http<{ items: { id: string }[] }>(stack.url, 'GET', `/v1/products?brandId=${brandId}`);
    expect(listed.body.items.map((p) => p.id)).toEqual([productId]);
  });

  it("3: lists the brand's lead with the phone masked", async () => {
    const out = await paste(2);
    const lines = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toContainEqual(expect.objectContaining({ id: leadId, storeId, phoneMasked: masked(phone) }));
    expect(out).not.toContain(phone);
    const seen = await http<{ items: { id: string; phone?: string; phoneMasked: string }[] }>(stack.url, 'GET', '/v1/leads?limit=100', withKey());
    const lead = seen.body.items.find((l) => l.id === leadId);
    expect(lead).toMatchObject({ phoneMasked: masked(phone) });
    expect(lead).not.toHaveProperty('phone');
  });

  it('4: closes the deal with the card, which is redeemed', async () => {
    await paste(3);
    const deal = await http(stack.url, 'GET', `/v1/deals/${shell.DEAL_ID}`, as(admin));
    expect(deal.status).toBe(200);
    expect(deal.body).toMatchObject({
      status: 'closed',
      storeId,
      brandId,
      staffId,
      cardNo,
      amountFen,
      discountFen: CARD_OFF_FEN,
      payableFen: amountFen - CARD_OFF_FEN,
    });
    expect((await http<{ status: string }>(stack.url, 'GET', `/v1/cards/${cardNo}`)).body.status).toBe('redeemed');
  });

  it('5: registers the webhook with its secret and reads the deliveries', async () => {
    await paste(4);
    expect(shell.O2O_WEBHOOK_SECRET.length).toBeGreaterThanOrEqual(16);
    const hook = await http(stack.url, 'GET', `/v1/brands/${brandId}/webhook`, as(admin));
    expect([hook.status, hook.body]).toEqual([200, expect.objectContaining({ url: shell.WEBHOOK_URL, secretSet: true })]);
    expect(JSON.stringify(hook.body)).not.toContain(shell.O2O_WEBHOOK_SECRET);
  });

  it("6: the README's receiver accepts a real signed delivery and refuses a tampered, stale or wrongly keyed one", async () => {
    // An event the partner's webhook receives, caused after it was registered: the admin refunds the deal.
    const refund = await http(stack.url, 'POST', `/v1/deals/${shell.DEAL_ID}/refund`, {
      ...as(admin),
      headers: { 'idempotency-key': `qs-refund-${RUN}` },
      body: { reason: 'returned' },
    });
    expect(refund.status).toBe(201);
    const real = await eventually(
      async () =>
        deliveries.find((d) => {
          const event = JSON.parse(d.raw.toString('utf8')) as { type: string; data: { dealId?: string } };
          return event.type === 'deal.refunded' && event.data.dealId === shell.DEAL_ID;
        }),
      30_000,
      200,
    );
    // Step 5's deliveries list now shows the attempt and the receiver's answer.
    const attempt = await eventually(
      async () => {
        const res = await http<{ items: { type: string; statusCode?: number }[] }>(stack.url, 'GET', `/v1/brands/${brandId}/webhook/deliveries`, withKey());
        return res.body.items?.find((d) => d.type === 'deal.refunded');
      },
      15_000,
      200,
    );
    expect(attempt.statusCode).toBe(204);

    const file = path.join(dir, 'receiver.js');
    writeFileSync(file, js);
    const start = async (secret: string) => {
      const port = await new Promise<number>((resolve) => {
        const probe = createServer().listen(0, '127.0.0.1', () => {
          const { port } = probe.address() as AddressInfo;
          probe.close(() => resolve(port));
        });
      });
      const child = spawn(process.execPath, [file], { env: { PATH: shell.PATH, PORT: String(port), O2O_WEBHOOK_SECRET: secret }, stdio: 'ignore' });
      receivers.push(child);
      const url = `http://127.0.0.1:${port}/`;
      await eventually(async () => (await fetch(url, { method: 'POST' }).catch(() => null))?.status, 10_000, 100);
      return url;
    };
    const post = async (url: string, raw: Buffer | string, signature: string | undefined) =>
      (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(signature ? { 'x-o2o-signature': signature } : {}) }, body: raw }))
        .status;
    const signature = real.headers['x-o2o-signature'] as string;
    const signedNow = (raw: Buffer | string, t: number) =>
      `t=${t},v1=${createHmac('sha256', shell.O2O_WEBHOOK_SECRET).update(`${t}.`).update(raw).digest('hex')}`;
    const now = Math.floor(Date.now() / 1000);
    const tampered = Buffer.from(real.raw.toString('utf8').replace(`"refundedTotalFen":${amountFen}`, '"refundedTotalFen":1'));
    expect(tampered.equals(real.raw)).toBe(false);

    const right = await start(shell.O2O_WEBHOOK_SECRET);
    const wrong = await start(`${shell.O2O_WEBHOOK_SECRET}-not`);
    const answers = {
      real: await post(right, real.raw, signature),
      tampered: await post(right, tampered, signature),
      unsigned: await post(right, real.raw, undefined),
      resignedNow: await post(right, real.raw, signedNow(real.raw, now)),
      stale: await post(right, real.raw, signedNow(real.raw, now - 3_600)),
      wrongSecret: await post(wrong, real.raw, signature),
    };
    expect(answers).toEqual({ real: 204, tampered: 401, unsigned: 401, resignedNow: 204, stale: 401, wrongSecret: 401 });
  });
});
