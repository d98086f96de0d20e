// What the demo prints: the funnel by channel as GET /v1/funnel answers it for the demo's range,
// and the salespeople who earned most, from the commissions ledger. Both are read only once the
// stack's events have caught up with what this batch did.

import { sleep } from './http.mjs';

const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
export const STEPS = ['visits', 'consultations', 'bookings', 'storeVisits', 'deals'];
const COUNTED = [...STEPS, 'dealAmountFen'];

/** The report's range: the 14 days before today and today, as the chain's calendar dates. */
export function demoRange(now = Date.now()) {
  const day = (offset) => new Date(now + SHANGHAI_OFFSET_MS + offset * DAY_MS).toISOString().slice(0, 10);
  return { from: day(-14), to: day(1) };
}

export const funnelPath = (range) => `/v1/funnel?from=${range.from}&to=${range.to}&groupBy=channel`;

/** Per channel, what a batch adds to the funnel, counted from what it made. */
export function batchCounts(made) {
  const byChannel = new Map();
  const row = (channel) => {
    if (!byChannel.has(channel)) byChannel.set(channel, Object.fromEntries(COUNTED.map((k) => [k, 0])));
    return byChannel.get(channel);
  };
  for (const channel of new Set(made.visitors.map((v) => v.channel)))
    row(channel).visits = new Set(made.visitors.filter((v) => v.channel === channel).map((v) => v.visitorId)).size;
  for (const c of made.consultations) row(c.channel).consultations++;
  for (const b of made.bookings) row(b.channel).bookings++;
  for (const c of made.checkIns) row(c.channel).storeVisits++;
  for (const d of made.deals) {
    row(d.channel).deals++;
    row(d.channel).dealAmountFen += d.amountFen;
  }
  return byChannel;
}

const countsOf = (funnel) => new Map(funnel.rows.map((r) => [r.key, r]));

/** True when every channel of `funnel` shows exactly `baseline` plus `added`. */
function caughtUp(funnel, baseline, added) {
  const now = countsOf(funnel);
  const before = countsOf(baseline);
  const channels = new Set([...now.keys(), ...before.keys(), ...added.keys()]);
  for (const channel of channels) {
    for (const k of COUNTED) {
      const want = (before.get(channel)?.[k] ?? 0) + (added.get(channel)?.[k] ?? 0);
      if ((now.get(channel)?.[k] ?? 0) !== want) return false;
    }
  }
  return true;
}

/**
 * The funnel once it shows this batch: the steps reach the funnel through events, so it is read
 * again until it adds up, or until the time is up (then it is printed as it stands, with a note).
 */
export async function settledFunnel(admin, range, baseline, made, progress, timeoutMs = 60_000) {
  const added = batchCounts(made);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const funnel = await admin.get(funnelPath(range));
    if (caughtUp(funnel, baseline, added)) return { funnel, settled: true };
    if (Date.now() > deadline) {
      progress.note('demo: the funnel did not add up to this batch within a minute; it is printed as the stack answers it');
      return { funnel, settled: false };
    }
    await sleep(500);
  }
}

/** Every commission entry in the range, once those for this batch's deals and refunds are there. */
export async function settledCommissions(admin, funnel, made, progress, timeoutMs = 30_000) {
  const path = `/v1/commissions?from=${encodeURIComponent(funnel.from)}&to=${encodeURIComponent(funnel.to)}`;
  const refunded = new Set(made.refunds.map((r) => r.dealId));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const entries = await admin.all(path);
    const credited = new Set(entries.map((e) => e.dealId));
    const clawedBack = new Set(entries.filter((e) => e.kind === 'clawback').map((e) => e.dealId));
    const complete = made.deals.every((d) => credited.has(d.id)) && [...refunded].every((id) => clawedBack.has(id));
    if (complete) return entries;
    if (Date.now() > deadline) {
      progress.note("demo: some of this batch's commissions had not appeared within 30 s; the ranking shows those that had");
      return entries;
    }
    await sleep(500);
  }
}

const yuan = (fen) => (fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
export const percent = (rate) => (rate === null || rate === undefined ? '-' : `${(rate * 100).toFixed(1)}%`);

/** Columns a string takes in a terminal: Chinese characters and other wide ones take two. */
export function displayWidth(text) {
  let width = 0;
  for (const ch of String(text)) {
    const cp = ch.codePointAt(0);
    const wide =
      (cp >= 0x1100 && cp <= 0x115f) ||
      (cp >= 0x2e80 && cp <= 0xa4cf) ||
      (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0xfe30 && cp <= 0xfe4f) ||
      (cp >= 0xff00 && cp <= 0xff60) ||
      (cp >= 0xffe0 && cp <= 0xffe6);
    width += wide ? 2 : 1;
  }
  return width;
}

/** A plain text table, columns two spaces apart: numbers right-aligned, text (`align` 'l') left. */
export function textTable(header, rows, align = header.map((_, i) => (i === 0 ? 'l' : 'r'))) {
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i]))));
  const pad = (cell, i) => ' '.repeat(widths[i] - displayWidth(cell));
  const line = (cells) =>
    cells
      .map((c, i) => (align[i] === 'l' ? String(c) + pad(c, i) : pad(c, i) + String(c)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export const FUNNEL_HEADER = [
  'channel',
  'visits',
  'consultations',
  'bookings',
  'store visits',
  'deals',
  'consult %',
  'booking %',
  'to-store %',
  'deal %',
  'deal amount (yuan)',
];

export function funnelTable(funnel) {
  const cells = (key, r) => [
    key,
    r.visits,
    r.consultations,
    r.bookings,
    r.storeVisits,
    r.deals,
    percent(r.consultationRate),
    percent(r.bookingRate),
    percent(r.toStoreRate),
    percent(r.dealRate),
    yuan(r.dealAmountFen),
  ];
  return textTable(FUNNEL_HEADER, [...funnel.rows.map((r) => cells(r.key, r)), cells('total', funnel.total)]);
}

/** The closers ranked by what they earned in the range, clawbacks netted. */
export function topSalespeopleTable(entries, roster, stores, limit = 10) {
  const byStaff = new Map();
  for (const e of entries) {
    if (e.party !== 'offline_closer' || !e.staffId) continue;
    const s = byStaff.get(e.staffId) ?? { amountFen: 0, deals: new Set() };
    s.amountFen += e.amountFen;
    if (e.kind === 'base') s.deals.add(e.dealId);
    byStaff.set(e.staffId, s);
  }
  const staffById = new Map(roster.map((s) => [s.id, s]));
  const storeName = new Map(stores.map((s) => [s.id, s.name]));
  // Someone whose every deal was refunded has earned nothing: not a top salesperson.
  const ranked = [...byStaff.entries()]
    .filter(([, s]) => s.amountFen > 0)
    .sort((a, b) => b[1].amountFen - a[1].amountFen)
    .slice(0, limit);
  const rows = ranked.map(([staffId, s], i) => {
    const who = staffById.get(staffId);
    return [i + 1, who?.name ?? staffId, who?.username ?? '-', storeName.get(who?.storeId) ?? who?.storeId ?? '-', s.deals.size, yuan(s.amountFen)];
  });
  const header = ['#', 'salesperson', 'username', 'store', 'deals', 'commission (yuan)'];
  return { table: textTable(header, rows, ['r', 'l', 'l', 'l', 'r', 'r']), count: rows.length };
}
