import { RecentWrites } from './recent-writes';

describe(RecentWrites.name, () => {
  describe('take', () => {
    it('should return the keys written within the window, once', () => {
      const sut = new RecentWrites(1000);
      sut.note('a', 0);
      sut.note('b', 500);

      expect(sut.take(['a', 'b', 'c'], 1200)).toEqual(['b']);
      expect(sut.take(['b'], 1200)).toEqual([]);
    });

    it('should count from the latest write of a key', () => {
      const sut = new RecentWrites(1000);
      sut.note('a', 0);
      sut.note('b', 100);
      sut.note('a', 900);

      expect(sut.take(['a', 'b'], 1500)).toEqual(['a']);
    });
  });
});
