// Closed-loop load: `concurrency` callers, each taking the next of `total` calls until none is left.

/**
 * Runs the calls and answers wall time, throughput, latency percentiles (ms) and outcomes: the
 * string a call returned ('ok' for anything else), or the code or message it threw.
 */
export async function load(total, concurrency, call) {
  const latencies = new Array(total);
  const outcomes = new Map();
  let next = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async () => {
      for (let i = next++; i < total; i = next++) {
        const s = process.hrtime.bigint();
        let outcome;
        try {
          const answer = await call(i);
          outcome = typeof answer === 'string' ? answer : 'ok';
        } catch (e) {
          outcome = e?.code ?? e?.message ?? 'error';
        }
        latencies[i] = Number(process.hrtime.bigint() - s) / 1e6;
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const sorted = latencies.sort((a, b) => a - b);
  const q = (p) => +sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)].toFixed(2);
  return {
    total,
    concurrency,
    seconds: +seconds.toFixed(3),
    perSecond: Math.round(total / seconds),
    p50: q(0.5),
    p95: q(0.95),
    p99: q(0.99),
    max: +sorted[sorted.length - 1].toFixed(2),
    outcomes: Object.fromEntries(outcomes),
  };
}
