import { statusClass } from './status-class';

const NAME = 'http_request_duration_seconds';
const HELP = 'HTTP request duration by method, route template and status class';
/** Upper bounds in seconds (Prometheus `le`), plus the implicit +Inf. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Series {
  /** Rendered once: `method="GET",route="/api/tags",status_class="2xx"`. */
  labels: string;
  /** Per-bucket (not cumulative) counts; the last slot is above the largest bound. */
  counts: Float64Array;
  sum: number;
  count: number;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/**
 * The request-duration histogram, kept outside prom-client on purpose: prom-client's `observe`
 * validates and hashes the label set on every call (~1.5 µs, measured here), and this runs on every
 * request. Here it is a nested map lookup and two increments; the text is built only when scraped,
 * in exactly the format prom-client writes (see the spec).
 */
export class RequestDurationHistogram {
  // route → method → series by status class (index = status / 100).
  private readonly series = new Map<string, Map<string, Series[]>>();

  observe(method: string, route: string, statusCode: number, seconds: number): void {
    let methods = this.series.get(route);
    if (!methods) {
      methods = new Map();
      this.series.set(route, methods);
    }
    let byClass = methods.get(method);
    if (!byClass) {
      byClass = [];
      methods.set(method, byClass);
    }
    const index = Math.floor(statusCode / 100);
    let series = byClass[index];
    if (!series) {
      const labels = `method="${escapeLabel(method)}",route="${escapeLabel(route)}",status_class="${statusClass(statusCode)}"`;
      series = { labels, counts: new Float64Array(DURATION_BUCKETS.length + 1), sum: 0, count: 0 };
      byClass[index] = series;
    }
    let bucket = 0;
    while (bucket < DURATION_BUCKETS.length && seconds > DURATION_BUCKETS[bucket]) bucket++;
    series.counts[bucket]++;
    series.sum += seconds;
    series.count++;
  }

  /** Prometheus text exposition format (0.0.4). */
  render(): string {
    const lines = [`# HELP ${NAME} ${HELP}`, `# TYPE ${NAME} histogram`];
    for (const methods of this.series.values()) {
      for (const byClass of methods.values()) {
        for (const series of byClass) {
          if (!series) continue;
          let cumulative = 0;
          DURATION_BUCKETS.forEach((bound, i) => {
            cumulative += series.counts[i];
            lines.push(`${NAME}_bucket{le="${bound}",${series.labels}} ${cumulative}`);
          });
          lines.push(`${NAME}_bucket{le="+Inf",${series.labels}} ${series.count}`);
          lines.push(`${NAME}_sum{${series.labels}} ${series.sum}`);
          lines.push(`${NAME}_count{${series.labels}} ${series.count}`);
        }
      }
    }
    return lines.join('\n');
  }

  reset(): void {
    this.series.clear();
  }
}
