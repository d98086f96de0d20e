export type ComponentState = 'up' | 'down';

/** What a service stands on, as its health report names it. */
export type HealthDependency = 'database' | 'redis';

export interface DependencyDown {
  dependency: HealthDependency;
  /** Why the last attempt failed, e.g. 'database "o2o" is not currently accepting connections (55000)'. */
  reason: string;
  /** ISO 8601: when this process first found it unreachable. */
  since: string;
}

export interface HealthReport {
  service: string;
  status: ComponentState;
  checks: { database: ComponentState; redis: ComponentState };
  /** The dependencies this service cannot reach; absent while all answer. */
  down?: DependencyDown[];
  /** Events waiting in this service's outbox, a sign of a stuck relay. */
  outboxBacklog?: number;
  /** The service's request stream (Streams transport only): not yet taken, and taken but unanswered. */
  requestQueue?: { lag: number; pending: number };
}
