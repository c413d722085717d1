import type { DatabaseService } from '@app/database';
import { repositoryModule } from '../../../../test-support/repository-module';
import { ArticleText, ContentFixtures } from '../../test/content-fixtures';
import type { ArticleFilter } from './article-sql';
import { ArticleRepository } from './article.repository';

describe(ArticleRepository.name, () => {
  const repositories = repositoryModule(ArticleRepository);
  let db: DatabaseService;
  let sut: ArticleRepository;
  let given: ContentFixtures;

  beforeAll(() => {
    db = repositories.db;
    sut = repositories.get(ArticleRepository);
    given = new ContentFixtures(db, sut);
  });

  let jake: number;
  let anna: number;
  let bob: number;
  beforeEach(async () => {
    await given.reset();
    jake = await given.user('jake', { bio: 'I work at statefarm', image: 'https://example.com/jake.png' });
    anna = await given.user('anna');
    bob = await given.user('bob');
  });

  const anyDate: unknown = expect.any(Date);
  const day = (n: number) => `2026-01-0${n}T00:00:00.000Z`;
  const slugsOf = async (filter: ArticleFilter, limit = 20, offset = 0) => {
    const page = await sut.findPage(filter, limit, offset);
    // The cached list reads the same page in two steps (ArticleListService): its ids in order, then their rows.
    const ids = await sut.findPageIds(filter, limit, offset);
    const rows = new Map((await sut.findListRows(ids.ids)).map((row) => [row.id, row]));
    expect({ count: ids.count, rows: ids.ids.map((id) => rows.get(id)) }).toEqual(page);
    return { count: page.count, slugs: page.rows.map((row) => row.slug) };
  };
  const count = async (table: string) =>
    (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
  const tagNames = async () =>
    (await db.query<{ name: string }>('SELECT name FROM tags ORDER BY name')).map((t) => t.name);

  describe('findPage', () => {
    it('should list newest first, and by id (newest first) when timestamps are equal', async () => {
      await given.article(jake, 'first', { at: day(1) });
      await given.article(jake, 'newest', { at: day(3) });
      await given.article(anna, 'tie-older-id', { at: day(2) });
      await given.article(anna, 'tie-newer-id', { at: day(2) });
      await expect(slugsOf({})).resolves.toEqual({
        count: 4,
        slugs: ['newest', 'tie-newer-id', 'tie-older-id', 'first'],
      });
    });

    it('should apply limit and offset, and count every article on every page', async () => {
      for (const n of [1, 2, 3, 4]) await given.article(jake, `a${n}`, { at: day(n) });
      await expect(slugsOf({}, 2, 1)).resolves.toEqual({ count: 4, slugs: ['a3', 'a2'] });
      await expect(slugsOf({}, 2, 3)).resolves.toEqual({ count: 4, slugs: ['a1'] });
    });

    it('should still return the count on a page past the end', async () => {
      await given.article(jake, 'only');
      await expect(sut.findPage({}, 20, 5)).resolves.toEqual({ count: 1, rows: [] });
    });

    it('should return an empty page with count 0 when there are no articles', async () => {
      await expect(sut.findPage({}, 20, 0)).resolves.toEqual({ count: 0, rows: [] });
    });

    it('should return typed rows: Date timestamps, the sorted tagList, the favorites count and the author, no body', async () => {
      const id = await given.article(jake, 'typed', { tags: ['zebra', 'dragons', 'angular'], at: day(1) });
      await given.favorite(anna, id);
      const { rows } = await sut.findPage({}, 20, 0);
      expect(rows).toEqual([
        {
          id,
          slug: 'typed',
          title: ArticleText.of('typed').title,
          description: ArticleText.of('typed').description,
          tagList: ['angular', 'dragons', 'zebra'],
          createdAt: new Date(day(1)),
          updatedAt: new Date(day(1)),
          favoritesCount: 1,
          author: { id: jake, username: 'jake', bio: 'I work at statefarm', image: 'https://example.com/jake.png' },
        },
      ]);
      expect(rows[0].createdAt).toBeInstanceOf(Date);
      expect(rows[0]).not.toHaveProperty('body');
    });

    describe('with filters', () => {
      // jake: j-old (dragons, angular), j-new (react); anna: a-one (dragons). bob favorites j-old and
      // a-one and follows anna.
      beforeEach(async () => {
        const jOld = await given.article(jake, 'j-old', { tags: ['dragons', 'angular'], at: day(1) });
        await given.article(jake, 'j-new', { tags: ['react'], at: day(2) });
        const aOne = await given.article(anna, 'a-one', { tags: ['dragons'], at: day(3) });
        await given.favorite(bob, jOld);
        await given.favorite(bob, aOne);
        await given.follow(bob, anna);
      });

      it.each<[string, () => ArticleFilter, { count: number; slugs: string[] }]>([
        ['tag', () => ({ tag: 'dragons' }), { count: 2, slugs: ['a-one', 'j-old'] }],
        ['author', () => ({ author: 'jake' }), { count: 2, slugs: ['j-new', 'j-old'] }],
        ['favorited', () => ({ favorited: 'bob' }), { count: 2, slugs: ['a-one', 'j-old'] }],
        ['followedBy (the feed)', () => ({ followedBy: bob }), { count: 1, slugs: ['a-one'] }],
        ['tag and author together', () => ({ tag: 'dragons', author: 'jake' }), { count: 1, slugs: ['j-old'] }],
        ['favorited and tag together', () => ({ favorited: 'bob', tag: 'react' }), { count: 0, slugs: [] }],
      ])('should filter by %s and count the matches only', async (_name, filter, expected) => {
        await expect(slugsOf(filter())).resolves.toEqual(expected);
      });

      it('should count every match while paging a filtered list', async () => {
        await expect(slugsOf({ tag: 'dragons' }, 1, 1)).resolves.toEqual({ count: 2, slugs: ['j-old'] });
        await expect(slugsOf({ tag: 'dragons' }, 20, 2)).resolves.toEqual({ count: 2, slugs: [] });
      });

      it.each<[string, () => ArticleFilter]>([
        ['tag', () => ({ tag: 'unknown' })],
        ['author', () => ({ author: 'nobody' })],
        ['favorited', () => ({ favorited: 'nobody' })],
        ['favorited by a user with no favorites', () => ({ favorited: 'jake' })],
        ['followedBy an unknown user', () => ({ followedBy: 999 })],
        ['followedBy a user who follows nobody', () => ({ followedBy: jake })],
      ])('should give an empty page with count 0 for an unmatched %s', async (_name, filter) => {
        await expect(sut.findPage(filter(), 20, 0)).resolves.toEqual({ count: 0, rows: [] });
      });
    });
  });

  describe('findBySlugWithAuthor', () => {
    it('should return the article with its body and author', async () => {
      const id = await given.article(anna, 'with-body', { tags: ['b', 'a'], at: day(1) });
      await expect(sut.findBySlugWithAuthor('with-body')).resolves.toEqual({
        id,
        slug: 'with-body',
        ...ArticleText.of('with-body'),
        tagList: ['a', 'b'],
        createdAt: new Date(day(1)),
        updatedAt: new Date(day(1)),
        favoritesCount: 0,
        author: { id: anna, username: 'anna', bio: null, image: null },
      });
    });

    it('should answer null for an unknown slug', async () => {
      await expect(sut.findBySlugWithAuthor('nope')).resolves.toBeNull();
    });
  });

  describe('findRefBySlug', () => {
    it('should return the id, slug and author id, or null', async () => {
      const id = await given.article(anna, 'ref');
      await expect(sut.findRefBySlug('ref')).resolves.toEqual({ id, slug: 'ref', authorId: anna });
      await expect(sut.findRefBySlug('nope')).resolves.toBeNull();
    });
  });

  describe('insert', () => {
    it('should store the article with its tags and read it back with its author, in one statement', async () => {
      const row = await sut.insert(jake, 'new', ArticleText.of('new'), ['zebra', 'dragons']);
      expect(row).toEqual({
        id: expect.any(Number) as unknown,
        slug: 'new',
        ...ArticleText.of('new'),
        tagList: ['dragons', 'zebra'],
        createdAt: anyDate,
        updatedAt: anyDate,
        favoritesCount: 0,
        author: { id: jake, username: 'jake', bio: 'I work at statefarm', image: 'https://example.com/jake.png' },
      });
      await expect(sut.findBySlugWithAuthor('new')).resolves.toEqual(row);
      await expect(slugsOf({ tag: 'zebra' })).resolves.toEqual({ count: 1, slugs: ['new'] });
      await expect(slugsOf({})).resolves.toEqual({ count: 1, slugs: ['new'] });
    });

    it('should reuse known tag names and create new ones once', async () => {
      await given.article(jake, 'first', { tags: ['dragons'] });
      await sut.insert(anna, 'second', ArticleText.of('second'), ['dragons', 'angular']);
      await expect(tagNames()).resolves.toEqual(['angular', 'dragons']);
      await expect(slugsOf({ tag: 'dragons' })).resolves.toMatchObject({ count: 2 });
    });

    it("should answer 'slug-taken' when the slug is taken, storing nothing", async () => {
      await given.article(jake, 'taken');
      await expect(sut.insert(anna, 'taken', ArticleText.of('again'), [])).resolves.toBe('slug-taken');
      await expect(sut.findRefBySlug('taken')).resolves.toEqual({ id: 1, slug: 'taken', authorId: jake });
      await expect(count('articles')).resolves.toBe(1);
    });

    it("should answer 'viewer-gone' when the author's row is gone, storing nothing", async () => {
      await db.query('DELETE FROM users WHERE id = $1', [bob]);
      await expect(sut.insert(bob, 'ghost', ArticleText.of('ghost'), ['t'])).resolves.toBe('viewer-gone');
      await expect(count('articles')).resolves.toBe(0);
    });

    it('should link a tag another create adds concurrently, not lose it', async () => {
      // The other transaction inserts the tag and holds it uncommitted: our statement's snapshot cannot see
      // it, so its insert waits on the unique index, then takes the committed row (DO UPDATE returns it).
      let claimed!: () => void;
      let commit!: () => void;
      const isClaimed = new Promise<void>((resolve) => (claimed = resolve));
      const mayCommit = new Promise<void>((resolve) => (commit = resolve));
      const other = db.transaction(async (_sql, tx) => {
        await tx.query("INSERT INTO tags (name) VALUES ('racing')");
        claimed();
        await mayCommit;
      });
      await isClaimed;
      const mine = sut.insert(anna, 'raced', ArticleText.of('raced'), ['racing']);
      try {
        await Promise.race([waitForLockWaiter(db), mine]);
      } finally {
        commit();
      }
      await other;
      await expect(mine).resolves.toMatchObject({ slug: 'raced', tagList: ['racing'] });
      await expect(slugsOf({ tag: 'racing' })).resolves.toEqual({ count: 1, slugs: ['raced'] });
    });
  });

  describe('update', () => {
    const update = (id: number, slug: string, fields: Parameters<ArticleRepository['update']>[3]) =>
      db.transaction((_sql, tx) => sut.update(tx, id, slug, fields));

    it('should change the given fields only, and move updatedAt on', async () => {
      const id = await given.article(jake, 'old', { tags: ['kept'], at: day(1) });
      await expect(update(id, 'new', { title: 'New title' })).resolves.toBe(true);
      const row = await sut.findBySlugWithAuthor('new');
      expect(row).toEqual({
        id,
        slug: 'new',
        title: 'New title',
        description: ArticleText.of('old').description,
        body: ArticleText.of('old').body,
        tagList: ['kept'],
        createdAt: new Date(day(1)),
        updatedAt: anyDate,
        favoritesCount: 0,
        author: { id: jake, username: 'jake', bio: 'I work at statefarm', image: 'https://example.com/jake.png' },
      });
      expect(row!.updatedAt.getTime()).toBeGreaterThan(new Date(day(1)).getTime());
    });

    it('should keep its own slug without calling it taken', async () => {
      const id = await given.article(jake, 'same');
      await expect(update(id, 'same', { body: 'New body' })).resolves.toBe(true);
      await expect(sut.findBySlugWithAuthor('same')).resolves.toMatchObject({ body: 'New body' });
    });

    it('should answer false for a slug another article has, change nothing and leave the transaction usable', async () => {
      await given.article(anna, 'taken');
      const id = await given.article(jake, 'mine');
      const result = await db.transaction(async (sql, tx) => {
        const updated = await sut.update(tx, id, 'taken', { title: 'Clash' });
        return { updated, after: await sut.findByIdWithAuthor(sql, id) };
      });
      expect(result).toMatchObject({ updated: false, after: { slug: 'mine', title: ArticleText.of('mine').title } });
    });

    it('should answer false when another transaction claims the slug after the check, leaving the transaction usable', async () => {
      const id = await given.article(jake, 'mine');
      // Another transaction inserts "taken" and holds it uncommitted: our existence check cannot see it,
      // so our UPDATE waits on the unique index until that transaction commits, then violates it.
      let claimed!: () => void;
      let commit!: () => void;
      const isClaimed = new Promise<void>((resolve) => (claimed = resolve));
      const mayCommit = new Promise<void>((resolve) => (commit = resolve));
      const other = db.transaction(async (_sql, tx) => {
        await tx.query(
          "INSERT INTO articles (slug, title, description, body, author_id) VALUES ('taken', 't', 'd', 'b', $1)",
          [anna],
        );
        claimed();
        await mayCommit;
      });
      await isClaimed;
      const mine = db.transaction(async (sql, tx) => {
        const updated = await sut.update(tx, id, 'taken', { title: 'Clash' });
        return { updated, after: await sut.findByIdWithAuthor(sql, id) };
      });
      try {
        await Promise.race([waitForLockWaiter(db), mine]);
      } finally {
        commit();
      }
      await other;
      await expect(mine).resolves.toMatchObject({ updated: false, after: { slug: 'mine', title: 'Title mine' } });
    });
  });

  describe('replaceTags', () => {
    const replace = (id: number, tags: string[]) => db.transaction((_sql, tx) => sut.replaceTags(tx, id, tags));

    it('should create the new tag names once, reuse known ones and keep tagList sorted', async () => {
      const first = await given.article(jake, 'first', { tags: ['dragons'] });
      const second = await given.article(jake, 'second');
      await replace(second, ['zebra', 'dragons', 'angular']);
      await expect(tagNames()).resolves.toEqual(['angular', 'dragons', 'zebra']);
      await expect(sut.findByIdWithAuthor(db, second)).resolves.toMatchObject({
        tagList: ['angular', 'dragons', 'zebra'],
      });
      await expect(sut.findByIdWithAuthor(db, first)).resolves.toMatchObject({ tagList: ['dragons'] });
    });

    it('should remove the tags that are not given again', async () => {
      const id = await given.article(jake, 'retagged', { tags: ['a', 'b'] });
      await replace(id, ['c', 'b']);
      await expect(sut.findByIdWithAuthor(db, id)).resolves.toMatchObject({ tagList: ['b', 'c'] });
      await expect(count('article_tags')).resolves.toBe(2);
      await replace(id, []);
      await expect(sut.findByIdWithAuthor(db, id)).resolves.toMatchObject({ tagList: [] });
      await expect(count('article_tags')).resolves.toBe(0);
    });
  });

  describe('lockForEdit', () => {
    it('should answer false for an article deleted since it was looked up', async () => {
      const id = await given.article(jake, 'gone');
      await db.query('DELETE FROM articles WHERE id = $1', [id]);
      await expect(db.transaction((_sql, tx) => sut.lockForEdit(tx, id))).resolves.toBe(false);
    });

    it('should make a concurrent DELETE wait until the edit commits', async () => {
      const id = await given.article(jake, 'edited');
      let deleted = false;
      let deleting: Promise<unknown> = Promise.resolve();
      await db.transaction(async (_sql, tx) => {
        await expect(sut.lockForEdit(tx, id)).resolves.toBe(true);
        deleting = db.query('DELETE FROM articles WHERE id = $1', [id]).then(() => (deleted = true));
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(deleted).toBe(false);
      });
      await deleting;
      expect(deleted).toBe(true);
    });
  });

  describe('usedTags', () => {
    it('should list, sorted, only the tags some article still carries', async () => {
      const deleted = await given.article(jake, 'deleted', { tags: ['gone', 'shared'] });
      const retagged = await given.article(jake, 'retagged', { tags: ['dropped', 'shared'] });
      await given.article(anna, 'kept', { tags: ['zebra', 'alpha'] });
      await sut.delete(deleted);
      await db.transaction((_sql, tx) => sut.replaceTags(tx, retagged, ['shared']));
      await expect(sut.usedTags()).resolves.toEqual(['alpha', 'shared', 'zebra']);
    });

    it('should answer an empty list when no article has tags', async () => {
      await given.article(jake, 'untagged');
      await expect(sut.usedTags()).resolves.toEqual([]);
    });
  });

  describe('delete', () => {
    it('should remove the article with its tags, favorites and comments, and lower the total', async () => {
      const gone = await given.article(jake, 'gone', { tags: ['t'] });
      const kept = await given.article(jake, 'kept', { tags: ['t'] });
      await given.favorite(anna, gone);
      await given.favorite(anna, kept);
      await db.query('INSERT INTO comments (article_id, author_id, body) VALUES ($1, $2, $3), ($4, $2, $3)', [
        gone,
        bob,
        'hi',
        kept,
      ]);
      await sut.delete(gone);
      await expect(sut.findRefBySlug('gone')).resolves.toBeNull();
      await expect(slugsOf({})).resolves.toEqual({ count: 1, slugs: ['kept'] });
      const left = await db.query('SELECT article_id FROM article_tags UNION ALL SELECT article_id FROM favorites');
      expect(left).toEqual([{ article_id: kept }, { article_id: kept }]);
      await expect(db.query('SELECT article_id FROM comments')).resolves.toEqual([{ article_id: kept }]);
    });
  });
});

/** Resolves once a backend of this database waits on a lock (our UPDATE behind the other transaction). */
async function waitForLockWaiter(db: DatabaseService): Promise<void> {
  for (;;) {
    const [row] = await db.query<{ waiting: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM pg_stat_activity
         WHERE datname = current_database() AND wait_event_type = 'Lock') AS waiting`,
    );
    if (row.waiting) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
