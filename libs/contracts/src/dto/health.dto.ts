export type ComponentState = 'up' | 'down';

export interface HealthReport {
  service: string;
  status: ComponentState;
  checks: { database: ComponentState; redis: ComponentState };
  /** Events waiting in this service's outbox, a sign of a stuck relay. */
  outboxBacklog?: number;
  /** The service's request stream (Streams transport only): not yet taken, and taken but unanswered. */
  requestQueue?: { lag: number; pending: number };
}
