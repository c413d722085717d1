import { PendingInvalidations } from './pending-invalidations';

describe(PendingInvalidations.name, () => {
  describe('add', () => {
    it('should collect keys and namespaces once each', () => {
      const sut = new PendingInvalidations(10);
      sut.add(['a', 'b'], ['ns']);
      sut.add(['a'], ['ns']);

      expect([...sut.keys]).toEqual(['a', 'b']);
      expect([...sut.namespaces]).toEqual(['ns']);
      expect(sut.size).toBe(3);
    });

    it('should drop the oldest keys past its limit, and report how many', () => {
      const sut = new PendingInvalidations(2);
      sut.add(['a', 'b', 'c']);

      expect([...sut.keys]).toEqual(['b', 'c']);
      expect(sut.takeDropped()).toBe(1);
      expect(sut.takeDropped()).toBe(0);
    });
  });

  describe('remove', () => {
    it('should forget what was replayed and keep what came meanwhile', () => {
      const sut = new PendingInvalidations(10);
      sut.add(['a'], ['ns']);
      sut.add(['b']);

      sut.remove(['a'], ['ns']);

      expect([...sut.keys]).toEqual(['b']);
      expect(sut.size).toBe(1);
    });
  });
});
