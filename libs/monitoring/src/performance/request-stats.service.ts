import { Injectable } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { ROUTE_SAMPLE_WINDOW } from '../monitoring.constants';
import { RouteWindow, type RouteWindowSnapshot } from './route-window';

export interface RouteStats extends RouteWindowSnapshot {
  method: string;
  route: string;
}

/** Per-route request statistics for /api/monitoring/performance. Keys are route templates, never raw URLs. */
@Injectable()
export class RequestStatsService {
  // route → method → window. Nested maps: the hot path builds no key strings.
  private readonly routes = new Map<string, Map<string, RouteWindow>>();

  /** On every request: two map lookups and a few typed-array writes. */
  record(method: string, route: string, statusCode: number, durationMs: number): void {
    let methods = this.routes.get(route);
    if (!methods) {
      methods = new Map();
      this.routes.set(route, methods);
    }
    let window = methods.get(method);
    if (!window) {
      window = new RouteWindow(ROUTE_SAMPLE_WINDOW);
      methods.set(method, window);
    }
    window.record(durationMs, statusCode, performance.now());
  }

  /** Every route seen so far, ordered by route then method. */
  snapshot(): RouteStats[] {
    const now = performance.now();
    const byName = <T>([a]: [string, T], [b]: [string, T]) => a.localeCompare(b);
    return [...this.routes]
      .sort(byName)
      .flatMap(([route, methods]) =>
        [...methods].sort(byName).map(([method, window]) => ({ method, route, ...window.snapshot(now) })),
      );
  }
}
