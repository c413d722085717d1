import { TierCounter } from './tier-counter';

describe(TierCounter.name, () => {
  describe('stats', () => {
    it('should give the hits, the misses and the hit ratio', () => {
      const sut = new TierCounter();
      sut.hits += 3;
      sut.misses++;
      expect(sut.stats()).toEqual({ hits: 3, misses: 1, hitRatio: 0.75 });
    });

    it('should report a hit ratio of 0 before any lookup', () => {
      expect(new TierCounter().stats()).toEqual({ hits: 0, misses: 0, hitRatio: 0 });
    });
  });
});
