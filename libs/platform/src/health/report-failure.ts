import type { Logger } from 'pino';
import { dependencyFailure } from '../errors/dependency-failure';
import { dependencyMonitor } from './dependency-monitor';

/**
 * Logs a failure of background work (relay passes, event handlers, jobs). A lost database or
 * Redis goes to the process's dependency monitor, which says so once per outage, not once per try.
 */
export function reportFailure(err: unknown, logger: Pick<Logger, 'warn'>, message: string, facts: Record<string, unknown> = {}): void {
  const dependency = dependencyFailure(err);
  if (dependency) dependencyMonitor.down(dependency, err);
  else logger.warn({ err, ...facts }, message);
}
