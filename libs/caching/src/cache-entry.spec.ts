import { CacheEntry, decodeEntry, encodeEntry } from './cache-entry';

describe(CacheEntry.name, () => {
  describe('value', () => {
    it('should parse once and hand out the same frozen copy', () => {
      const sut = new CacheEntry('{"article":{"tagList":["a"]}}', 0);
      const value = sut.value as { article: { tagList: string[] } };

      expect(sut.value).toBe(value);
      expect(Object.isFrozen(value.article.tagList)).toBe(true);
      expect(() => value.article.tagList.push('b')).toThrow(TypeError);
    });
  });

  describe('encodeEntry / decodeEntry', () => {
    it('should round-trip the JSON and the freshness', () => {
      const decoded = decodeEntry(encodeEntry(new CacheEntry('{"a":"x:y"}', 1234)));
      expect(decoded).toEqual(expect.objectContaining({ json: '{"a":"x:y"}', freshUntil: 1234 }));
    });

    it('should reject anything else', () => {
      expect(decodeEntry(undefined)).toBeUndefined();
      expect(decodeEntry('{"a":1}')).toBeUndefined();
      expect(decodeEntry(':{}')).toBeUndefined();
      expect(decodeEntry(42)).toBeUndefined();
    });
  });
});
