import { CacheMetrics, TierCounter } from './cache-metrics';

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

    it('should report a hit ratio of 0 before any lookup', () => {
      expect(new TierCounter().stats()).toEqual({ hits: 0, misses: 0, hitRatio: 0 });
    });
  });

  describe('counts', () => {
    it('should count stale serves and Redis bypasses apart', () => {
      const sut = new CacheMetrics();
      sut.staleServed();
      sut.redisBypassed();
      sut.redisBypassed();

      expect(sut.counts()).toEqual({ staleServes: 1, redisBypasses: 2 });
    });

    it('should keep each instance its own numbers (one application instance, one registry)', () => {
      const first = new CacheMetrics();
      const second = new CacheMetrics();
      first.hit('l2');

      expect(second.stats('l2').hits).toBe(0);
    });
  });
});
