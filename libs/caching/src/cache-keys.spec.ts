import {
  ARTICLES_NAMESPACE,
  INVALIDATION_CHANNEL,
  articleKey,
  articleListIdentity,
  articleListKey,
  commentsKey,
  namespaceVersionKey,
  profileKey,
  staleCopyKey,
  tagsKey,
  userFavoritesKey,
  userFollowingKey,
} from './cache-keys';

describe('cache keys', () => {
  describe('prefix', () => {
    it('should start every key and Redis name with pn:', () => {
      const names = [
        articleKey('a'),
        articleListKey(1, {}),
        commentsKey('a'),
        tagsKey(),
        profileKey('jake'),
        userFavoritesKey(1),
        userFollowingKey(1),
        namespaceVersionKey(ARTICLES_NAMESPACE),
        INVALIDATION_CHANNEL,
      ];
      for (const name of names) expect(name).toMatch(/^pn:/);
      expect(new Set(names).size).toBe(names.length);
    });
  });

  describe('articleKey', () => {
    it('should build the key from the slug', () => {
      expect(articleKey('how-to-train-your-dragon')).toBe('pn:d2:article:how-to-train-your-dragon');
    });

    it('should encode separators, so a slug cannot forge another key', () => {
      expect(articleKey('a:b')).toBe('pn:d2:article:a%3Ab');
      expect(articleKey('a:b')).not.toBe(articleKey('a%3Ab'));
      expect(commentsKey('x')).not.toBe(articleKey('x'));
    });
  });

  describe('articleListKey', () => {
    it('should give the same key whatever order the filters come in', () => {
      const a = articleListKey(7, { tag: 'dragons', author: 'jake', favorited: 'ann', limit: 20, offset: 40 });
      const b = articleListKey(7, { offset: 40, limit: 20, favorited: 'ann', author: 'jake', tag: 'dragons' });
      expect(a).toBe(b);
      expect(a).toBe('pn:d2:articles:v7:author=jake&favorited=ann&limit=20&offset=40&tag=dragons');
    });

    it('should leave out absent filters (undefined or null)', () => {
      expect(articleListKey(1, { tag: undefined, author: null, limit: 10 })).toBe(articleListKey(1, { limit: 10 }));
      expect(articleListKey(1, {})).toBe('pn:d2:articles:v1:');
    });

    it('should keep an empty filter apart from an absent one', () => {
      expect(articleListKey(1, { tag: '' })).not.toBe(articleListKey(1, {}));
    });

    it('should change with the version, the page and every filter', () => {
      const base = { tag: 't', author: 'a', favorited: 'f', limit: 20, offset: 0 };
      const variants = [
        articleListKey(1, base),
        articleListKey(2, base),
        articleListKey(1, { ...base, tag: 'u' }),
        articleListKey(1, { ...base, author: 'b' }),
        articleListKey(1, { ...base, favorited: 'g' }),
        articleListKey(1, { ...base, limit: 10 }),
        articleListKey(1, { ...base, offset: 20 }),
      ];
      expect(new Set(variants).size).toBe(variants.length);
    });

    it('should encode values, so one filter cannot smuggle in another', () => {
      const forged = articleListKey(1, { tag: 'x&author=jake' });
      expect(forged).toBe('pn:d2:articles:v1:tag=x%26author%3Djake');
      expect(forged).not.toBe(articleListKey(1, { tag: 'x', author: 'jake' }));
      expect(articleListKey(1, { author: 'a:v2:' })).not.toContain('a:v2:');
    });

    it('should encode non-ASCII values', () => {
      expect(articleListKey(1, { tag: 'café' })).toBe('pn:d2:articles:v1:tag=caf%C3%A9');
    });
  });

  describe('articleListIdentity / staleCopyKey', () => {
    it('should name a list page whatever its version, with the same encoded filters', () => {
      const filters = { tag: 'x&author=jake', limit: 20, offset: 0 };

      expect(articleListIdentity(filters)).toBe('pn:d2:articles:limit=20&offset=0&tag=x%26author%3Djake');
      expect(articleListKey(7, filters)).toBe(`pn:d2:articles:v7:${articleListIdentity(filters).slice(15)}`);
      expect(articleListIdentity({ tag: 'a' })).not.toBe(articleListIdentity({ author: 'a' }));
    });

    it('should keep stale copies beside the keys, not among them', () => {
      expect(staleCopyKey(articleListIdentity({}))).toBe('pn:stale:d2:articles:');
      expect(staleCopyKey(articleKey('a'))).toBe('pn:stale:d2:article:a');
    });
  });

  describe('per-user keys', () => {
    it('should keep favorites and following of one user, and users, apart', () => {
      const keys = [userFavoritesKey(1), userFollowingKey(1), userFavoritesKey(2), userFollowingKey('1:favorites')];
      expect(new Set(keys).size).toBe(keys.length);
      expect(userFavoritesKey(1)).toBe('pn:user:1:favorites');
      expect(userFavoritesKey('1')).toBe(userFavoritesKey(1));
    });
  });

  describe('profileKey', () => {
    it('should encode the username', () => {
      expect(profileKey('jake smith')).toBe('pn:profile:jake%20smith');
    });
  });
});
