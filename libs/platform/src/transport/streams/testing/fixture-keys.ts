/** Where the replica fixture records its runs (a list of the replicas that ran each request). */
export const fixtureRunsKey = (namespace: string, requestKey: string): string => `${namespace}:fixture:runs:${requestKey}`;
export const fixtureRunsByReplicaKey = (namespace: string): string => `${namespace}:fixture:runs-by-replica`;

export interface WorkData {
  /** Unique per request: runs are counted per key. */
  key: string;
  /** Simulated work before answering. */
  workMs?: number;
}

export interface WorkReply {
  replica: string;
  key: string;
  reclaimed: boolean;
}

/** Messages between a test (or the benchmark) and a replica fixture process, over IPC. */
export type FixtureMessage = { type: 'ready'; replica: string } | { type: 'executions'; executions: number };
