import { register } from 'prom-client';
import { CacheMetrics } from './cache-metrics';

describe(CacheMetrics.name, () => {
  describe('stats', () => {
    it('should count hits and misses per tier, with the hit ratio', () => {
      const sut = new CacheMetrics();
      sut.hit('l1');
      sut.hit('l1');
      sut.hit('l1');
      sut.miss('l1');
      sut.miss('l2');

      expect(sut.stats('l1')).toEqual({ hits: 3, misses: 1, hitRatio: 0.75 });
      expect(sut.stats('l2')).toEqual({ hits: 0, misses: 1, hitRatio: 0 });
    });
  });

  describe('Prometheus counters', () => {
    it('should expose process-wide totals per tier, registered once however many instances exist', async () => {
      const first = new CacheMetrics();
      const second = new CacheMetrics();
      const before = await register.getSingleMetricAsString('pn_cache_hits_total');
      const l1Before = Number(/pn_cache_hits_total\{tier="l1"\} (\d+)/.exec(before)?.[1] ?? 0);

      first.hit('l1');
      second.hit('l1');
      second.miss('l2');

      await expect(register.getSingleMetricAsString('pn_cache_hits_total')).resolves.toContain(
        `pn_cache_hits_total{tier="l1"} ${l1Before + 2}`,
      );
      await expect(register.getSingleMetricAsString('pn_cache_misses_total')).resolves.toMatch(
        /pn_cache_misses_total\{tier="l2"\} [1-9]/,
      );
    });
  });
});
