#!/usr/bin/env node
// npm run demo: fills a running stack with a realistic batch of data through the gateway's public
// API only, then prints the funnel by channel and the top salespeople by commission.
//
//   O2O_URL         the gateway (default http://localhost:3000)
//   ADMIN_USERNAME  ADMIN_PASSWORD   the admin who sets the world up (default admin / admin)
//   DEMO_SCALE      size of the batch (default 1: about 2,000 visitors and 80 deals)
//   DEMO_MANIFEST   where to write what this batch made (default .data/demo/batch-<n>.json)
//
// Run it again for another batch: the stores, brands, people and campaign are reused by name.

import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureWorld, worldSketch, worldUnits } from './catalog.mjs';
import { ApiClient } from './http.mjs';
import { Progress } from './progress.mjs';
import { demoRange, funnelPath, funnelTable, settledCommissions, settledFunnel, topSalespeopleTable } from './report.mjs';
import { batchIdentity, planBatch, planUnits, playBatch } from './traffic.mjs';

const ROOT = path.resolve(import.meta.dirname, '../..');
const t0 = Date.now();
const config = {
  url: process.env.O2O_URL || 'http://localhost:3000',
  adminUsername: process.env.ADMIN_USERNAME || 'admin',
  adminPassword: process.env.ADMIN_PASSWORD || 'admin',
  scale: Number(process.env.DEMO_SCALE || '1'),
  manifest: process.env.DEMO_MANIFEST,
};
if (!(config.scale > 0)) {
  process.stderr.write(`DEMO_SCALE must be a positive number, not ${JSON.stringify(process.env.DEMO_SCALE)}\n`);
  process.exit(2);
}

/** The manifest's path: as configured, else the next free batch number under .data/demo. */
function manifestPath() {
  if (config.manifest) return path.resolve(config.manifest);
  const dir = path.join(ROOT, '.data/demo');
  mkdirSync(dir, { recursive: true });
  const taken = readdirSync(dir)
    .map((f) => /^batch-(\d+)\.json$/.exec(f)?.[1])
    .filter(Boolean)
    .map(Number);
  return path.join(dir, `batch-${Math.max(0, ...taken) + 1}.json`);
}

async function main() {
  const progress = new Progress();
  const publicApi = new ApiClient(config.url);
  try {
    await publicApi.get('/health/live');
  } catch (e) {
    throw new Error(`no gateway answers at ${config.url} (${e.message}); start the stack first (npm start)`);
  }
  const login = await publicApi.post('/v1/auth/login', { username: config.adminUsername, password: config.adminPassword });
  const admin = publicApi.as(login.accessToken);

  // The bar covers set-up and traffic from the start: the traffic is estimated on the dataset's
  // sketch of the world, then corrected once the real plan is made.
  const identity = batchIdentity();
  const range = demoRange();
  const estimate = planUnits(planBatch(worldSketch(), identity, config.scale));
  progress.plan(worldUnits() + estimate);
  const world = await ensureWorld(admin, progress);
  const plan = planBatch(world, identity, config.scale);
  progress.plan(planUnits(plan) - estimate);
  const baseline = await admin.get(funnelPath(range));
  const made = await playBatch(plan, world, publicApi, progress);

  progress.step('waiting for the funnel and commissions to catch up');
  const { funnel, settled } = await settledFunnel(admin, range, baseline, made, progress);
  const commissions = await settledCommissions(admin, funnel, made, progress);
  const roster = await admin.all('/v1/staff');
  progress.finish();

  const file = manifestPath();
  mkdirSync(path.dirname(file), { recursive: true });
  const manifest = {
    runId: identity.runId,
    scale: config.scale,
    url: config.url,
    startedAt: new Date(t0).toISOString(),
    finishedAt: new Date().toISOString(),
    range: { ...range, fromInstant: funnel.from, toInstant: funnel.to, tz: funnel.tz },
    funnelSettled: settled,
    world: {
      stores: world.stores.map((s) => ({ id: s.id, name: s.name, city: s.city, reused: s.reused })),
      brands: world.brands.map((b) => ({ id: b.id, name: b.name, category: b.category, reused: b.reused })),
      campaignId: world.campaign.id,
    },
    ...made,
  };
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);

  const ranking = topSalespeopleTable(commissions, roster, world.stores);
  const out = [
    `O2O Home demo: batch ${identity.runId} at ${config.url} (DEMO_SCALE=${config.scale})`,
    `Made ${made.visitors.length} visitors, ${made.consultations.length} consultations, ${made.bookings.length} bookings, ` +
      `${made.cards.length} cards (${made.cards.filter((c) => c.paid).length} paid), ${made.checkIns.length} store visits, ` +
      `${made.deals.length} deals, ${made.refunds.length} refunds.`,
    '',
    `Funnel by channel, ${range.from} to ${range.to} (${funnel.tz}; from ${funnel.from} to ${funnel.to})`,
    funnelTable(funnel),
    '',
    `Top salespeople by commission, ${range.from} to ${range.to} (net of clawbacks)`,
    ranking.table,
    '',
    `Manifest: ${file}`,
    `API calls: ${admin.stats.calls} (${admin.stats.retries} retried, ${admin.stats.throttled} throttled)`,
    `Took ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((e) => {
  process.stderr.write(`\ndemo failed: ${e.stack ?? e.message}\n`);
  process.exit(1);
});
