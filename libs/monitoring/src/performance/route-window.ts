import { round3 } from '../round';

export interface LatencyPercentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export interface RouteWindowSnapshot {
  /** Requests since start. */
  count: number;
  clientErrors: number;
  serverErrors: number;
  /** Samples in the window, and the seconds they span (up to now). */
  windowSamples: number;
  windowSeconds: number;
  ratePerSecond: number;
  /** Share of 5xx answers in the window. */
  errorRate: number;
  latencyMs: LatencyPercentiles;
}

/**
 * Nearest-rank percentile of ascending `sorted` values: the smallest value with at least `p`% of
 * the samples at or below it. Exact (no interpolation), so a known sequence gives known answers.
 */
export function nearestRank(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

/**
 * One route's recent requests in a fixed-size ring (typed arrays: no allocation per request), plus
 * lifetime counts. Recording is O(1); sorting happens only when someone reads the percentiles.
 */
export class RouteWindow {
  private readonly durations: Float64Array;
  private readonly times: Float64Array;
  private readonly statuses: Uint16Array;
  private next = 0;
  private size = 0;
  private count = 0;
  private clientErrors = 0;
  private serverErrors = 0;

  constructor(private readonly capacity: number) {
    this.durations = new Float64Array(capacity);
    this.times = new Float64Array(capacity);
    this.statuses = new Uint16Array(capacity);
  }

  record(durationMs: number, statusCode: number, nowMs: number): void {
    this.durations[this.next] = durationMs;
    this.times[this.next] = nowMs;
    this.statuses[this.next] = statusCode;
    this.next = (this.next + 1) % this.capacity;
    if (this.size < this.capacity) this.size++;
    this.count++;
    if (statusCode >= 500) this.serverErrors++;
    else if (statusCode >= 400) this.clientErrors++;
  }

  snapshot(nowMs: number): RouteWindowSnapshot {
    const samples = this.durations.slice(0, this.size).sort();
    const oldest = this.size < this.capacity ? this.times[0] : this.times[this.next];
    // At least one second, so a burst of a few requests does not read as thousands per second.
    const windowSeconds = Math.max(1, (nowMs - oldest) / 1000);
    let windowErrors = 0;
    for (let i = 0; i < this.size; i++) if (this.statuses[i] >= 500) windowErrors++;
    let total = 0;
    for (const value of samples) total += value;
    return {
      count: this.count,
      clientErrors: this.clientErrors,
      serverErrors: this.serverErrors,
      windowSamples: this.size,
      windowSeconds: round3(windowSeconds),
      ratePerSecond: round3(this.size / windowSeconds),
      errorRate: this.size === 0 ? 0 : round3(windowErrors / this.size),
      latencyMs: {
        p50: round3(nearestRank(samples, 50)),
        p95: round3(nearestRank(samples, 95)),
        p99: round3(nearestRank(samples, 99)),
        max: round3(this.size === 0 ? 0 : samples[this.size - 1]),
        mean: round3(this.size === 0 ? 0 : total / this.size),
      },
    };
  }
}
