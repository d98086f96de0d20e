import type Redis from 'ioredis';
import { SERVICE_NAMES, ServiceName } from '@o2o/contracts';

const HEARTBEAT_MS = 1000;
const HEARTBEAT_TTL_MS = 3500;

const aliveKey = (namespace: string, service: string) => `${namespace}:alive:${service}`;

/**
 * Each replica of a service keeps its instance id in a sorted set, scored by when its heartbeat
 * lapses. A service is alive while any score lies in the future.
 */
export class Heartbeat {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly redis: Redis,
    private readonly namespace: string,
    private readonly service: string,
    private readonly instanceId: string,
  ) {}

  async start(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.beat(), HEARTBEAT_MS);
  }

  /** Withdraws this replica at once, so callers stop sending before it goes. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.redis.zrem(aliveKey(this.namespace, this.service), this.instanceId).catch(() => undefined);
  }

  private async beat(): Promise<void> {
    const now = Date.now();
    const key = aliveKey(this.namespace, this.service);
    await this.redis
      .multi()
      .zadd(key, now + HEARTBEAT_TTL_MS, this.instanceId)
      .zremrangebyscore(key, '-inf', now)
      .pexpire(key, HEARTBEAT_TTL_MS * 10)
      .exec()
      .catch(() => undefined); // Redis down: the heartbeat lapses, which is the truth.
  }
}

/** The gateway's view of which services are alive, refreshed a few times a second. */
export class ServiceLiveness {
  private alive = new Set<ServiceName>(SERVICE_NAMES);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly redis: Redis,
    private readonly namespace: string,
    private readonly refreshMs = 500,
  ) {}

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.refreshMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  isUp(service: ServiceName): boolean {
    return this.alive.has(service);
  }

  async refresh(): Promise<void> {
    const now = Date.now();
    try {
      const pipeline = this.redis.pipeline();
      for (const s of SERVICE_NAMES) pipeline.zcount(aliveKey(this.namespace, s), now, '+inf');
      const results = (await pipeline.exec()) ?? [];
      this.alive = new Set(SERVICE_NAMES.filter((_, i) => !results[i]?.[0] && Number(results[i]?.[1]) > 0));
    } catch {
      this.alive = new Set();
    }
  }
}
