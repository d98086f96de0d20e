/** Where the replica fixture records its runs (a list of the replicas that ran each request). */
export const fixtureRunsKey = (namespace: string, requestKey: string): string => `${namespace}:fixture:runs:${requestKey}`;
export const fixtureRunsByReplicaKey = (namespace: string): string => `${namespace}:fixture:runs-by-replica`;

export interface WorkData {
  /** Unique per request: runs are counted per key. */
  key: string;
  /** Simulated work before answering. */
  workMs?: number;
  /** Work that holds the event loop (synchronous) before answering. */
  blockMs?: number;
}

export interface WorkReply {
  replica: string;
  key: string;
  reclaimed: boolean;
}

/** Messages between a test (or the benchmark) and a replica fixture process, over IPC. */
export type FixtureMessage = { type: 'ready'; replica: string } | { type: 'executions'; executions: number };

/** A request to the fixture's Postgres-writing command, `<FIXTURE_SERVICE>.record`. */
export interface RecordData {
  key: string;
  /** Simulated work after the write, inside the command's transaction. */
  workMs?: number;
}

export interface RecordReply {
  /** The row the command wrote: a duplicate delivery must answer this same id. */
  effectId: string;
  replica: string;
  key: string;
}
