/** How far a service's replicas are behind on their request streams. */
export interface RequestQueueStats {
  /** Requests in the stream that no replica has taken yet. */
  lag: number;
  /** Requests taken by a replica and not yet answered (including those of a dead replica). */
  pending: number;
}

type QueueProbe = () => Promise<RequestQueueStats>;

// The health check runs in the same process as the transport server but is built without a
// reference to it; servers register here while they listen.
const probes = new Set<QueueProbe>();

export function registerQueueProbe(probe: QueueProbe): () => void {
  probes.add(probe);
  return () => void probes.delete(probe);
}

/** The request queue of the transport server(s) in this process; undefined with the stock transport. */
export async function requestQueueStats(): Promise<RequestQueueStats | undefined> {
  if (probes.size === 0) return undefined;
  const all = await Promise.all([...probes].map((probe) => probe()));
  return all.reduce((sum, s) => ({ lag: sum.lag + s.lag, pending: sum.pending + s.pending }), { lag: 0, pending: 0 });
}
