/** How often an open breaker asks PostgreSQL whether it is back: recovery is seen within this much. */
export const RECOVERY_PROBE_INTERVAL_MS = 250;

/** The part of an opossum `CircuitBreaker` recovery needs. */
export interface RecoverableBreaker {
  readonly closed: boolean;
  close(): void;
  on(event: 'open', listener: () => void): unknown;
}

/**
 * Closes the PostgreSQL breaker as soon as the primary answers again. Opossum alone waits out
 * `resetTimeout` and then lets one request probe: the API answered 503 for 1.2–1.9 s after PostgreSQL
 * (and /health/ready) was back. While the breaker is open or half-open, this pings every
 * `intervalMs` (one ping at a time, each bounded by its own timeout) and closes it on the first answer.
 * Timers are unref'd and stop at `stop()`: they never keep the process or Jest alive.
 */
export class BreakerRecovery {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly breaker: RecoverableBreaker,
    private readonly ping: () => Promise<unknown>,
    private readonly intervalMs = RECOVERY_PROBE_INTERVAL_MS,
  ) {
    breaker.on('open', () => this.schedule());
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    if (this.stopped || this.timer !== undefined) return;
    this.timer = setTimeout(() => void this.probe(), this.intervalMs).unref();
  }

  private async probe(): Promise<void> {
    try {
      if (this.breaker.closed) return;
      await this.ping();
      if (this.stopped || this.breaker.closed) return;
      this.breaker.close();
    } catch {
      // Still down: ask again after the interval.
    } finally {
      this.timer = undefined;
      if (!this.breaker.closed) this.schedule();
    }
  }
}
