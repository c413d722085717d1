import { Gauge, type Registry } from 'prom-client';
import { DatabaseProbeService } from '../database/database-probe.service';
import { REPLICA_CHECK_TIMEOUT_MS } from '../monitoring.constants';
import { readMemoryLimitBytes } from './memory-limit';

/**
 * Metrics the alert rules need that neither prom-client's defaults nor the breaker gauges give:
 * each replica's reachability and replay lag (probed at scrape time, bounded like the health
 * checks), and the container's memory limit (so "memory near the limit" needs no cAdvisor).
 */
export function registerPlatformMetrics(registry: Registry, probe: DatabaseProbeService): void {
  const registers = [registry];
  const memoryLimit = readMemoryLimitBytes();
  new Gauge({
    name: 'pn_memory_limit_bytes',
    help: "The container's memory limit (cgroup), +Inf when it has none",
    registers,
    collect() {
      this.set(memoryLimit);
    },
  });

  // prom-client collects every metric of a scrape concurrently: both replica gauges share one probe round.
  const replicas = sharedPerScrape(() => probeReplicas(probe));
  new Gauge({
    name: 'db_replica_up',
    help: 'PostgreSQL read replica answering (1) or not (0), by replica (replica-N, in configured order)',
    labelNames: ['replica'],
    registers,
    async collect() {
      this.reset();
      for (const { replica, lagSeconds } of await replicas()) this.set({ replica }, lagSeconds === undefined ? 0 : 1);
    },
  });
  new Gauge({
    name: 'db_replica_lag_seconds',
    help: 'Seconds a read replica is behind the primary (0 when all received WAL is replayed; absent when unknown)',
    labelNames: ['replica'],
    registers,
    async collect() {
      this.reset();
      for (const { replica, lagSeconds } of await replicas()) {
        if (typeof lagSeconds === 'number') this.set({ replica }, lagSeconds);
      }
    },
  });
}

interface ReplicaSample {
  replica: string;
  /** undefined: down; null: up, lag unknown (not a standby, or nothing replayed yet). */
  lagSeconds: number | null | undefined;
}

function probeReplicas(probe: DatabaseProbeService): Promise<ReplicaSample[]> {
  return Promise.all(
    Array.from({ length: probe.replicaCount() }, async (_, index): Promise<ReplicaSample> => {
      const replica = `replica-${index}`;
      try {
        const { replayLagSeconds } = await probe.probeReplica(index, REPLICA_CHECK_TIMEOUT_MS);
        return { replica, lagSeconds: replayLagSeconds };
      } catch {
        return { replica, lagSeconds: undefined };
      }
    }),
  );
}

/** One call of `work` for every caller within a scrape (callers arriving while it runs, or just after). */
function sharedPerScrape<T>(work: () => Promise<T>, reuseMs = 250): () => Promise<T> {
  let last: { promise: Promise<T>; settledAt: number | null } | null = null;
  return () => {
    if (last && (last.settledAt === null || performance.now() - last.settledAt < reuseMs)) return last.promise;
    const current: { promise: Promise<T>; settledAt: number | null } = { promise: work(), settledAt: null };
    const settled = () => {
      current.settledAt = performance.now();
    };
    current.promise.then(settled, settled);
    last = current;
    return current.promise;
  };
}
