import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { signIn } from './support/logins';
import { http, ROOT, RunningStack, startStack } from './support/stack';

jest.setTimeout(150_000);

/** What the demo's manifest lists: each thing a batch made that the funnel counts. */
interface Manifest {
  runId: string;
  range: { from: string; to: string };
  world: { stores: { id: string; reused: boolean }[]; brands: { id: string; reused: boolean }[] };
  visitors: { visitorId: string; channel: string }[];
  consultations: { id: string; channel: string }[];
  bookings: { id: string; channel: string }[];
  checkIns: { bookingId: string; channel: string }[];
  deals: { id: string; channel: string; amountFen: number }[];
  refunds: { id: string; dealId: string; amountFen: number }[];
}
interface Counts {
  visits: number;
  consultations: number;
  bookings: number;
  storeVisits: number;
  deals: number;
  dealAmountFen: number;
}
interface FunnelRow extends Counts {
  key: string;
  consultationRate: number | null;
  bookingRate: number | null;
  toStoreRate: number | null;
  dealRate: number | null;
}
interface Funnel {
  rows: FunnelRow[];
  total: Omit<FunnelRow, 'key'>;
}
interface DemoRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

const STEPS = ['visits', 'consultations', 'bookings', 'storeVisits', 'deals', 'dealAmountFen'] as const;
const zero = (): Counts => ({ visits: 0, consultations: 0, bookings: 0, storeVisits: 0, deals: 0, dealAmountFen: 0 });

function runDemo(stack: RunningStack, manifest: string): Promise<DemoRun> {
  const t0 = Date.now();
  const child = spawn(process.execPath, [path.join(ROOT, 'tools/demo/run.mjs')], {
    cwd: ROOT,
    env: { ...process.env, O2O_URL: stack.url, ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'admin', DEMO_SCALE: '0.1', DEMO_MANIFEST: manifest },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - t0 })));
}

/** The rows of the text table under the line starting with `title`: cells split on runs of 2+ spaces. */
function section(stdout: string, title: string): string[][] {
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => l.startsWith(title));
  if (start < 0) throw new Error(`no "${title}" in the demo's output:\n${stdout}`);
  const rows: string[][] = [];
  // The title, the header and the dashes, then rows up to the blank line.
  for (const line of lines.slice(start + 3)) {
    if (!line.trim()) break;
    rows.push(line.trim().split(/\s{2,}/));
  }
  return rows;
}

/** A rate as the demo prints it: a percentage with one decimal, '-' without a denominator. */
const shownRate = (n: number, d: number) => (d === 0 ? '-' : `${(Math.min(1, n / d) * 100).toFixed(1)}%`);
const shownYuan = (fen: number) => (fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** A funnel row in the printed form, from its counts (the rates follow from them). */
const shown = (key: string, c: Counts): string[] => [
  key,
  String(c.visits),
  String(c.consultations),
  String(c.bookings),
  String(c.storeVisits),
  String(c.deals),
  shownRate(c.consultations, c.visits),
  shownRate(c.bookings, c.consultations),
  shownRate(c.storeVisits, c.bookings),
  shownRate(c.deals, c.storeVisits),
  shownYuan(c.dealAmountFen),
];

/** The counts of a printed row. */
const countsOf = (row: string[]): Counts => ({
  visits: Number(row[1]),
  consultations: Number(row[2]),
  bookings: Number(row[3]),
  storeVisits: Number(row[4]),
  deals: Number(row[5]),
  dealAmountFen: Math.round(Number(row[10].replace(/,/g, '')) * 100),
});

/** The funnel by channel recomputed from what the batches made, in the API's order (`none` last). */
function recompute(manifests: Manifest[]): Map<string, Counts> {
  const byChannel = new Map<string, Counts>();
  const add = (channel: string, step: keyof Counts, by = 1) => {
    const c = byChannel.get(channel) ?? zero();
    c[step] += by;
    byChannel.set(channel, c);
  };
  const visitors = new Map<string, string>();
  for (const m of manifests) {
    for (const v of m.visitors) visitors.set(v.visitorId, v.channel);
    for (const c of m.consultations) add(c.channel, 'consultations');
    for (const b of m.bookings) add(b.channel, 'bookings');
    for (const c of m.checkIns) add(c.channel, 'storeVisits');
    for (const d of m.deals) {
      add(d.channel, 'deals');
      add(d.channel, 'dealAmountFen', d.amountFen);
    }
  }
  for (const channel of visitors.values()) add(channel, 'visits');
  const keys = [...byChannel.keys()].sort((a, b) => (a === 'none' ? 1 : b === 'none' ? -1 : a.localeCompare(b)));
  return new Map(keys.map((k) => [k, byChannel.get(k)!]));
}

/** The printed table expected from counts per channel: a row each, then the total. */
function table(byChannel: Map<string, Counts>): string[][] {
  const total = zero();
  for (const c of byChannel.values()) for (const step of STEPS) total[step] += c[step];
  return [...[...byChannel.entries()].map(([key, c]) => shown(key, c)), shown('total', total)];
}

const fromApi = (funnel: Funnel) => [...funnel.rows.map((r) => shown(r.key, r)), shown('total', funnel.total)];

/**
 * npm run demo against a stack of its own, twice: each run exits 0, prints the funnel its batches
 * made (as recomputed here from its manifests, and as GET /v1/funnel answers), the second run
 * grows it by exactly its own batch, and both print top salespeople with positive commissions.
 */
describe('npm run demo', () => {
  let stack: RunningStack;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'o2o-demo-'));
    stack = await startStack();
  });
  afterAll(async () => {
    if (stack) await stack.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('seeds a batch, then a second one on top, printing the funnel both made and who earned most', async () => {
    const manifests = [path.join(dir, 'batch-1.json'), path.join(dir, 'batch-2.json')];
    const first = await runDemo(stack, manifests[0]);
    expect([first.code, first.stderr.slice(-2000)]).toEqual([0, expect.any(String)]);
    const second = await runDemo(stack, manifests[1]);
    expect([second.code, second.stderr.slice(-2000)]).toEqual([0, expect.any(String)]);
    const [m1, m2] = manifests.map((f) => JSON.parse(readFileSync(f, 'utf8')) as Manifest);

    // Real traffic in every step, and every batch its own.
    for (const m of [m1, m2]) {
      expect([m.visitors.length, m.consultations.length, m.bookings.length, m.checkIns.length, m.deals.length, m.refunds.length].every((n) => n > 0)).toBe(
        true,
      );
    }
    expect(m1.runId).not.toBe(m2.runId);
    expect(m2.visitors.some((v) => m1.visitors.some((w) => w.visitorId === v.visitorId))).toBe(false);
    // The second run found the first one's world by name and made no second copy of it.
    expect(m2.world.stores.map((s) => [s.id, s.reused])).toEqual(m1.world.stores.map((s) => [s.id, true]));
    expect(m2.world.brands.map((b) => [b.id, b.reused])).toEqual(m1.world.brands.map((b) => [b.id, true]));
    const stores = await http<{ items: unknown[] }>(stack.url, 'GET', '/v1/stores?limit=100');
    expect(stores.body.items.length).toBe(m1.world.stores.length);

    const printed1 = section(first.stdout, 'Funnel by channel');
    const printed2 = section(second.stdout, 'Funnel by channel');
    expect(printed1).toEqual(table(recompute([m1])));
    expect(printed2).toEqual(table(recompute([m1, m2])));

    const admin = await signIn(stack, 'admin', 'admin');
    const answered = await http<Funnel>(stack.url, 'GET', `/v1/funnel?from=${m2.range.from}&to=${m2.range.to}&groupBy=channel`, { token: admin });
    expect(answered.status).toBe(200);
    expect(printed2).toEqual(fromApi(answered.body));

    // The second table is the first plus exactly the second batch, channel by channel.
    const grown = new Map(printed2.map((row) => [row[0], countsOf(row)]));
    for (const row of printed1) {
      const before = countsOf(row);
      const after = grown.get(row[0]) ?? zero();
      for (const step of STEPS) after[step] -= before[step];
    }
    const added = recompute([m2]);
    const addedTotal = zero();
    for (const c of added.values()) for (const step of STEPS) addedTotal[step] += c[step];
    for (const [key, growth] of grown) expect([key, growth]).toEqual([key, key === 'total' ? addedTotal : (added.get(key) ?? zero())]);

    for (const run of [first, second]) {
      const top = section(run.stdout, 'Top salespeople by commission');
      expect(top.length).toBeGreaterThan(0);
      const amounts = top.map((row) => Number(row[row.length - 1].replace(/,/g, '')));
      expect(amounts.every((a) => a > 0)).toBe(true);
      expect([...amounts].sort((a, b) => b - a)).toEqual(amounts);
      expect(run.stdout).toMatch(/Took \d+(\.\d+)? s/);
    }
    // stderr is not a terminal here: a few plain progress lines, not one per call.
    expect(first.stderr.split('\n').filter((l) => l.startsWith('demo:')).length).toBeLessThan(40);
  });
});
