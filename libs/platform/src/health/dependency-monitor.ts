import { Logger } from '@nestjs/common';
import { envProbe } from './dependency-probes';

/** What a process stands on besides itself. */
export type Dependency = 'postgres' | 'redis';
export const DEPENDENCIES: readonly Dependency[] = ['postgres', 'redis'];

/** Resolves when the dependency answers; rejects when it does not. */
export type DependencyProbe = () => Promise<unknown>;

export interface Outage {
  dependency: Dependency;
  since: Date;
  reason: string;
}

export interface DependencyMonitorOptions {
  /** Where the two outage lines go; Nest's logger (pino in the apps) unless given. */
  log?: (message: string) => void;
  /** The probe for a dependency that has none set; none when this answers undefined. */
  defaultProbe?: (dependency: Dependency) => DependencyProbe | undefined;
  probeEveryMs?: number;
  probeTimeoutMs?: number;
}

/** A short, single-line account of why a call to a dependency failed. */
export function failureReason(err: unknown): string {
  const e = err as { message?: unknown; code?: unknown; driverError?: { message?: unknown; code?: unknown } } | null | undefined;
  const inner = e?.driverError ?? e;
  const message = typeof inner?.message === 'string' && inner.message ? inner.message : typeof err === 'string' ? err : '';
  const code = typeof inner?.code === 'string' ? inner.code : undefined;
  const text = message && code && !message.includes(code) ? `${message} (${code})` : message || code || String(err);
  return text.split('\n')[0].slice(0, 300);
}

/**
 * Which dependencies this process currently cannot reach. Many requests fail during one outage;
 * the log says so once when it starts ("postgres unreachable: …") and once when it ends
 * ("postgres is back"). While a dependency is down it is probed every second, so its return is
 * noticed even when no traffic tries it.
 */
export class DependencyMonitor {
  private readonly outages = new Map<Dependency, Outage & { timer?: NodeJS.Timeout }>();
  private readonly probes = new Map<Dependency, DependencyProbe>();
  private readonly log: (message: string) => void;
  private readonly probeEveryMs: number;
  private readonly probeTimeoutMs: number;

  constructor(private readonly options: DependencyMonitorOptions = {}) {
    const logger = new Logger('Dependencies');
    this.log = options.log ?? ((m) => logger.warn(m));
    this.probeEveryMs = options.probeEveryMs ?? 1000;
    this.probeTimeoutMs = options.probeTimeoutMs ?? 2000;
  }

  /** Replaces how a dependency is probed while down (for example with the process's own pool). */
  setProbe(dependency: Dependency, probe: DependencyProbe): void {
    this.probes.set(dependency, probe);
  }

  /** A call to the dependency failed at the connection level. Logs only the first time. */
  down(dependency: Dependency, err: unknown): void {
    if (this.outages.has(dependency)) return;
    const outage = { dependency, since: new Date(), reason: failureReason(err) };
    this.outages.set(dependency, outage);
    this.log(`${dependency} unreachable: ${outage.reason}`);
    this.scheduleProbe(dependency);
  }

  /** The dependency answered. Logs only when it had been down. */
  up(dependency: Dependency): void {
    const outage = this.outages.get(dependency);
    if (!outage) return;
    clearTimeout(outage.timer);
    this.outages.delete(dependency);
    this.log(`${dependency} is back after ${((Date.now() - outage.since.getTime()) / 1000).toFixed(1)} s`);
  }

  isDown(dependency: Dependency): boolean {
    return this.outages.has(dependency);
  }

  outage(dependency: Dependency): Outage | undefined {
    const o = this.outages.get(dependency);
    return o && { dependency: o.dependency, since: o.since, reason: o.reason };
  }

  /** Stops probing; the outages stay recorded. */
  stop(): void {
    for (const o of this.outages.values()) clearTimeout(o.timer);
  }

  private scheduleProbe(dependency: Dependency): void {
    const outage = this.outages.get(dependency);
    if (!outage) return;
    outage.timer = setTimeout(() => void this.probe(dependency, outage), this.probeEveryMs);
    outage.timer.unref();
  }

  private async probe(dependency: Dependency, outage: Outage): Promise<void> {
    const probe = this.probes.get(dependency) ?? this.options.defaultProbe?.(dependency);
    if (probe) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${this.probeTimeoutMs} ms`)), this.probeTimeoutMs);
      });
      const answered = await Promise.race([Promise.resolve().then(probe), timeout]).then(
        () => true,
        () => false,
      );
      clearTimeout(timer);
      // Ended meanwhile (and perhaps a new outage begun, with its own probe).
      if (this.outages.get(dependency) !== outage) return;
      if (answered) return this.up(dependency);
    }
    this.scheduleProbe(dependency);
  }
}

/** The one monitor of this process, probing with DATABASE_URL and REDIS_URL unless told otherwise. */
export const dependencyMonitor = new DependencyMonitor({ defaultProbe: envProbe });
