import { nearestRank, RouteWindow } from './route-window';

describe('nearestRank', () => {
  it('should pick the smallest value with at least p% of the samples at or below it', () => {
    const sorted = Array.from({ length: 20 }, (_, i) => (i + 1) * 10);
    expect([nearestRank(sorted, 50), nearestRank(sorted, 95), nearestRank(sorted, 99)]).toEqual([100, 190, 200]);
  });

  it('should answer the only sample for any percentile', () => {
    expect([nearestRank([7], 1), nearestRank([7], 50), nearestRank([7], 100)]).toEqual([7, 7, 7]);
  });

  it('should answer 0 without samples', () => {
    expect(nearestRank([], 99)).toBe(0);
  });
});

describe(RouteWindow.name, () => {
  describe('snapshot', () => {
    it('should report exact percentiles, counts and error rate for a known sequence', () => {
      const sut = new RouteWindow(100);
      // 1..100 ms, recorded out of order; every tenth a 500, every fifth otherwise a 404.
      const durations = Array.from({ length: 100 }, (_, i) => ((i * 37) % 100) + 1);
      durations.forEach((ms, i) => sut.record(ms, i % 10 === 0 ? 500 : i % 5 === 0 ? 404 : 200, i * 10));

      expect(sut.snapshot(1000)).toEqual({
        count: 100,
        clientErrors: 10,
        serverErrors: 10,
        windowSamples: 100,
        windowSeconds: 1,
        ratePerSecond: 100,
        errorRate: 0.1,
        latencyMs: { p50: 50, p95: 95, p99: 99, max: 100, mean: 50.5 },
      });
    });

    it('should keep only the most recent samples once the window is full', () => {
      const sut = new RouteWindow(4);
      [1000, 1000, 1, 2, 3, 4].forEach((ms, i) => sut.record(ms, 200, i * 1000));

      expect(sut.snapshot(6000)).toEqual({
        count: 6,
        clientErrors: 0,
        serverErrors: 0,
        windowSamples: 4,
        windowSeconds: 4,
        ratePerSecond: 1,
        errorRate: 0,
        latencyMs: { p50: 2, p95: 4, p99: 4, max: 4, mean: 2.5 },
      });
    });

    it('should report zeros before any request', () => {
      expect(new RouteWindow(8).snapshot(0)).toEqual({
        count: 0,
        clientErrors: 0,
        serverErrors: 0,
        windowSamples: 0,
        windowSeconds: 1,
        ratePerSecond: 0,
        errorRate: 0,
        latencyMs: { p50: 0, p95: 0, p99: 0, max: 0, mean: 0 },
      });
    });
  });
});
