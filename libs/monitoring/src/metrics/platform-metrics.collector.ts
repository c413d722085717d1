import { Gauge, type Registry } from 'prom-client';
import { readMemoryLimitBytes } from './memory-limit';

/**
 * A metric the alert rules need that prom-client's defaults do not give: the container's memory
 * limit (so "memory near the limit" needs no cAdvisor). Replicas: MetricsService's replica gauges.
 */
export function registerPlatformMetrics(registry: Registry): void {
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
}
