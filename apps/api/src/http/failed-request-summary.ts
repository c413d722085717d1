import type { Logger } from 'pino';

/** How often the counts are logged while requests keep failing. */
export const SUMMARY_INTERVAL_MS = 10_000;

type Counts = Map<string, Map<number, number>>;

/**
 * Failed requests that mean "a dependency is unavailable" (503: PostgreSQL down, breaker open,
 * draining), logged as counts instead of a line each: an outage answered 107,000 requests in 15 s,
 * and as many ERROR lines buried the few that said what happened. While they last: one `warn` line
 * when they start, one `warn` summary every SUMMARY_INTERVAL_MS with counts by route and status, and
 * one `info` line when an interval passes without any (and a last summary when the server closes).
 * The dependencies' own state changes (breaker open/closed, Redis down/back) are logged where they happen.
 */
export class FailedRequestSummary {
  private counts: Counts = new Map();
  private total = 0;
  private timer: NodeJS.Timeout | null = null;
  private since = 0;

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs = SUMMARY_INTERVAL_MS,
  ) {}

  /** Counts one failed request; `route` is the route pattern (`POST /api/articles/:slug/favorite`). */
  record(route: string, status: number): void {
    if (this.timer === null) this.start(route, status);
    let byStatus = this.counts.get(route);
    if (byStatus === undefined) this.counts.set(route, (byStatus = new Map<number, number>()));
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    this.total++;
  }

  /** Logs what was counted since the last summary; after a quiet interval, says the failures stopped. */
  flush(): void {
    if (this.total === 0) {
      this.stop();
      this.logger.info({ sinceMs: Date.now() - this.since }, 'no more requests failing with 503');
      return;
    }
    const failed: Record<string, Record<string, number>> = {};
    for (const [route, byStatus] of this.counts) failed[route] = Object.fromEntries(byStatus);
    this.logger.warn({ failed, total: this.total, periodMs: this.intervalMs }, 'requests failed with 503 (summary)');
    this.counts = new Map();
    this.total = 0;
  }

  /** Logs the last counts, if any, and stops (the server is closing). */
  close(): void {
    if (this.timer === null) return;
    if (this.total > 0) this.flush();
    this.stop();
  }

  private start(route: string, status: number): void {
    this.since = Date.now();
    this.logger.warn(
      { route, statusCode: status, summaryEveryMs: this.intervalMs },
      'requests are failing with 503: counted, and summarized periodically instead of logged one by one',
    );
    this.timer = setInterval(() => this.flush(), this.intervalMs);
    this.timer.unref(); // never keeps the process (or Jest) alive
  }

  private stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}
