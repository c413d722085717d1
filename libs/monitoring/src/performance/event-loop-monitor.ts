import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { round3 } from '../round';

export interface EventLoopDelay {
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Event-loop delay since start: how long ready callbacks waited (CPU-bound work or sync I/O shows here). */
@Injectable()
export class EventLoopMonitor implements OnApplicationShutdown {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });

  constructor() {
    this.histogram.enable();
  }

  delay(): EventLoopDelay {
    const toMs = (ns: number) => round3(Number.isFinite(ns) ? ns / 1e6 : 0);
    const h = this.histogram;
    return { meanMs: toMs(h.mean), p50Ms: toMs(h.percentile(50)), p99Ms: toMs(h.percentile(99)), maxMs: toMs(h.max) };
  }

  onApplicationShutdown(): void {
    this.histogram.disable();
  }
}
