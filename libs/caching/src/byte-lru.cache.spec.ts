import { ByteLruCache } from './byte-lru.cache';
import { CacheEntry } from './cache-entry';

const NOW = 1_000_000;

function entry(json: string, freshUntil = NOW + 60_000): CacheEntry {
  return new CacheEntry(json, freshUntil);
}

/** Key "kN" (2 bytes) + a 8-byte JSON string value: 10 bytes per entry. */
function tenBytes(n: number): [string, CacheEntry] {
  return [`k${n}`, entry(`"${String(n).padStart(6, '0')}"`)];
}

describe(ByteLruCache.name, () => {
  describe('set', () => {
    it('should count the UTF-8 bytes of key and JSON', () => {
      const sut = new ByteLruCache(1000);
      sut.set('k', entry('"é"'));
      expect(sut.bytes).toBe(1 + 4);
      expect(sut.size).toBe(1);
    });

    it('should evict the least recently used entries to stay within the byte bound', () => {
      const sut = new ByteLruCache(30);
      for (const n of [1, 2, 3]) sut.set(...tenBytes(n));
      expect(sut.bytes).toBe(30);

      sut.set(...tenBytes(4));

      expect(sut.bytes).toBe(30);
      expect(sut.peek('k1')).toBeUndefined();
      expect(['k2', 'k3', 'k4'].map((k) => sut.peek(k) !== undefined)).toEqual([true, true, true]);
    });

    it('should evict in order of last use, not of insertion', () => {
      const sut = new ByteLruCache(30);
      for (const n of [1, 2, 3]) sut.set(...tenBytes(n));
      sut.get('k1', NOW);

      sut.set(...tenBytes(4));
      sut.set(...tenBytes(5));

      expect(sut.peek('k1')?.json).toBe(tenBytes(1)[1].json);
      expect(sut.peek('k2')).toBeUndefined();
      expect(sut.peek('k3')).toBeUndefined();
    });

    it('should evict as many entries as a big one needs', () => {
      const sut = new ByteLruCache(30);
      for (const n of [1, 2, 3]) sut.set(...tenBytes(n));

      sut.set('big', entry(`"${'x'.repeat(20)}"`)); // 3 + 22 bytes

      expect(sut.size).toBe(1);
      expect(sut.bytes).toBe(25);
    });

    it('should refuse an entry larger than the whole cache, keeping the others', () => {
      const sut = new ByteLruCache(30);
      sut.set(...tenBytes(1));

      expect(sut.set('huge', entry(`"${'x'.repeat(40)}"`))).toBe(false);

      expect(sut.peek('huge')).toBeUndefined();
      expect(sut.size).toBe(1);
    });

    it('should replace an entry and its byte count', () => {
      const sut = new ByteLruCache(100);
      sut.set('k', entry('"aaaa"'));
      sut.set('k', entry('"a"'));
      expect(sut.size).toBe(1);
      expect(sut.bytes).toBe(1 + 3);
      expect(sut.peek('k')?.json).toBe('"a"');
    });
  });

  describe('get', () => {
    it('should return a fresh entry', () => {
      const sut = new ByteLruCache(100);
      sut.set('k', entry('{"a":1}', NOW + 1));
      expect(sut.get('k', NOW)?.value).toEqual({ a: 1 });
    });

    it('should not return an entry past its TTL, while peek still does (for stale-if-error)', () => {
      const sut = new ByteLruCache(100);
      sut.set('k', entry('1', NOW));
      expect(sut.get('k', NOW)).toBeUndefined();
      expect(sut.get('k', NOW + 1)).toBeUndefined();
      expect(sut.peek('k')?.json).toBe('1');
    });

    it('should return undefined for a missing key', () => {
      expect(new ByteLruCache(100).get('nope', NOW)).toBeUndefined();
    });
  });

  describe('delete', () => {
    it('should remove the entry and its bytes', () => {
      const sut = new ByteLruCache(100);
      sut.set(...tenBytes(1));
      sut.set(...tenBytes(2));
      expect(sut.delete('k1')).toBe(true);
      expect(sut.delete('k1')).toBe(false);
      expect(sut.bytes).toBe(10);
      expect(sut.size).toBe(1);
    });
  });

  describe('clear', () => {
    it('should remove everything', () => {
      const sut = new ByteLruCache(100);
      sut.set(...tenBytes(1));
      sut.clear();
      expect(sut.size).toBe(0);
      expect(sut.bytes).toBe(0);
    });
  });
});
