import { DataSource } from 'typeorm';
import { TestApp, type ApiResponse } from './support/test-app';

/**
 * Many requests at once against one app (pool of 10 connections by default), so writes really
 * contend for the same rows and index entries. Every batch must finish (no deadlock, no pool
 * starvation), answer without a 500, and leave PostgreSQL and the API agreeing on exact numbers.
 */
const USERS = 40;
const BATCH_TIMEOUT_MS = 20_000;

type User = { token: string; username: string };

/** Rejects when the batch has not settled in time: a deadlock or starved pool fails fast and says so. */
async function batch<T>(label: string, work: Promise<T>[]): Promise<T[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label}: not settled after ${BATCH_TIMEOUT_MS} ms`)), BATCH_TIMEOUT_MS);
  });
  try {
    return await Promise.race([Promise.all(work), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const statuses = (responses: ApiResponse[]) => [...new Set(responses.map((r) => r.status))].sort();

describe('Concurrency', () => {
  let sut: TestApp;
  let db: DataSource;
  let author: User;
  let users: User[];

  beforeAll(async () => {
    sut = await TestApp.start();
    db = sut.app.get(DataSource);
    await sut.truncate();
    author = await sut.register('author');
    users = await batch(
      'register',
      Array.from({ length: USERS }, (_, i) => sut.register(`reader${i}`)),
    );
  }, 60_000);
  afterAll(async () => {
    await sut.close();
  });

  const article = (title: string, tagList: string[] = []) => ({
    article: { title, description: 'd', body: `body of ${title}`, tagList },
  });

  const create = async (token: string, title: string): Promise<string> => {
    const res = await sut.call('post', '/api/articles', { token, body: article(title) });
    expect(res.status).toBe(201);
    return res.body.article.slug as string;
  };

  const favoritesInDb = async (slug: string) => {
    const [row] = await db.query<{ counter: number; rows: number }[]>(
      `SELECT a.favorites_count AS counter, (SELECT count(*)::int FROM favorites f WHERE f.article_id = a.id) AS rows
       FROM articles a WHERE a.slug = $1`,
      [slug],
    );
    return row;
  };

  const favoritesCountFromApi = async (slug: string) => {
    const res = await sut.call('get', `/api/articles/${slug}`);
    expect(res.status).toBe(200);
    return res.body.article.favoritesCount as number;
  };

  const favorite = (user: User, slug: string, on: boolean) =>
    sut.call(on ? 'post' : 'delete', `/api/articles/${slug}/favorite`, { token: user.token });

  describe('favorites', () => {
    it('should count every user once when all favorite one article at once, some twice, while it is being read', async () => {
      const slug = await create(author.token, 'Popular article');
      const twice = users.filter((_, i) => i % 3 === 0);

      const responses = await batch('favorite', [
        ...users.map((u) => favorite(u, slug, true)),
        ...twice.map((u) => favorite(u, slug, true)),
        // Reads racing the writes must not leave a stale count in the cache.
        ...users.slice(0, 10).map(() => sut.call('get', `/api/articles/${slug}`)),
      ]);

      expect(statuses(responses)).toEqual([200]);
      expect(await favoritesInDb(slug)).toEqual({ counter: USERS, rows: USERS });
      expect(await favoritesCountFromApi(slug)).toBe(USERS);
      const mine = await sut.call('get', `/api/articles/${slug}`, { token: users[7].token });
      expect(mine.body.article).toMatchObject({ favorited: true, favoritesCount: USERS });
    });

    it('should count exactly when half unfavorite at once (some twice) while the rest favorite again', async () => {
      const slug = await create(author.token, 'Fading article');
      await batch(
        'favorite all',
        users.map((u) => favorite(u, slug, true)),
      );
      const leaving = users.filter((_, i) => i % 2 === 0);
      const staying = users.filter((_, i) => i % 2 === 1);

      const responses = await batch('unfavorite', [
        ...leaving.map((u) => favorite(u, slug, false)),
        ...leaving.filter((_, i) => i % 2 === 0).map((u) => favorite(u, slug, false)),
        ...staying.map((u) => favorite(u, slug, true)),
        ...users.slice(0, 10).map(() => sut.call('get', `/api/articles/${slug}`)),
      ]);

      expect(statuses(responses)).toEqual([200]);
      expect(await favoritesInDb(slug)).toEqual({ counter: staying.length, rows: staying.length });
      expect(await favoritesCountFromApi(slug)).toBe(staying.length);
      const [row] = await db.query<{ ids: number[] }[]>(
        `SELECT array_agg(u.username ORDER BY u.username) AS ids FROM favorites f
         JOIN users u ON u.id = f.user_id JOIN articles a ON a.id = f.article_id WHERE a.slug = $1`,
        [slug],
      );
      expect(row.ids).toEqual(staying.map((u) => u.username).sort());
    });
  });

  describe('follows', () => {
    it("should end with each user's last call when many follow and unfollow one author at once", async () => {
      const target = await sut.register('celebrity');
      // Each user: a concurrent pair of the same call (idempotence under a race), then a sequential
      // tail of alternating calls; users run concurrently. The final state is the last call.
      const plans = users.map((_, i) => {
        const first = i % 2 === 0;
        const tail = Array.from({ length: i % 4 }, (__, step) => (step % 2 === 0 ? !first : first));
        return { first, tail, last: tail.length === 0 ? first : tail[tail.length - 1] };
      });
      const follow = (user: User, on: boolean) =>
        sut.call(on ? 'post' : 'delete', `/api/profiles/${target.username}/follow`, { token: user.token });

      const responses = await batch(
        'follow',
        users.map(async (user, i) => {
          const { first, tail } = plans[i];
          const seen = await Promise.all([follow(user, first), follow(user, first)]);
          for (const on of tail) seen.push(await follow(user, on));
          return seen;
        }),
      );

      const flat = responses.flat();
      expect(statuses(flat)).toEqual([200]);
      const expected = users.filter((_, i) => plans[i].last).map((u) => u.username);
      const rows = await db.query<{ username: string }[]>(
        `SELECT u.username FROM follows f JOIN users u ON u.id = f.follower_id
         JOIN users t ON t.id = f.followee_id WHERE t.username = $1 ORDER BY u.username`,
        [target.username],
      );
      expect(rows.map((r) => r.username)).toEqual([...expected].sort());
      const views = await batch(
        'profile reads',
        users.map((u) => sut.call('get', `/api/profiles/${target.username}`, { token: u.token })),
      );
      expect(views.map((v) => v.body.profile.following)).toEqual(plans.map((p) => p.last));
    });
  });

  describe('an article deleted while others write to it', () => {
    it('should answer 404 (never 500) to favorites, comments and edits that lose the race', async () => {
      const slug = await create(author.token, 'Short lived');
      const writers = users.slice(0, 20);

      const responses = await batch('write during delete', [
        ...writers.map((u) => favorite(u, slug, true)),
        ...writers.map((u) =>
          sut.call('post', `/api/articles/${slug}/comments`, { token: u.token, body: { comment: { body: 'hi' } } }),
        ),
        sut.call('put', `/api/articles/${slug}`, { token: author.token, body: { article: { body: 'edited' } } }),
        sut.call('delete', `/api/articles/${slug}`, { token: author.token }),
      ]);

      const unexpected = responses.filter((r) => ![200, 201, 204, 404].includes(r.status));
      expect(unexpected.map((r) => `${r.status} ${r.text}`)).toEqual([]);
      expect((await sut.call('get', `/api/articles/${slug}`)).status).toBe(404);
    });
  });

  describe('slugs', () => {
    it('should give 20 concurrent creates of one title 20 distinct slugs, all 201', async () => {
      const title = 'Same title everywhere';
      const responses = await batch(
        'create',
        Array.from({ length: 20 }, (_, i) =>
          sut.call('post', '/api/articles', {
            token: users[i].token,
            body: article(title, ['shared', 'race', `own${i}`]),
          }),
        ),
      );

      expect(statuses(responses)).toEqual([201]);
      const slugs = responses.map((r) => r.body.article.slug as string);
      expect(new Set(slugs).size).toBe(20);
      expect(slugs.filter((s) => s === 'same-title-everywhere')).toHaveLength(1);
      const [row] = await db.query<{ n: number; total: number }[]>(
        `SELECT (SELECT count(*)::int FROM articles WHERE title = $1) AS n, (SELECT total FROM article_totals) AS total`,
        [title],
      );
      expect(row.n).toBe(20);
      expect(row.total).toBe(Number((await db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM articles'))[0].n));
      const tags = await sut.call('get', '/api/tags');
      expect(tags.body.tags.filter((t: string) => t === 'shared')).toHaveLength(1);
    });

    it('should give distinct slugs when several articles are renamed to one title at once', async () => {
      const owners = users.slice(0, 8);
      const before = await Promise.all(owners.map((u, i) => create(u.token, `Draft number ${i}`)));

      const responses = await batch(
        'rename',
        owners.map((u, i) =>
          sut.call('put', `/api/articles/${before[i]}`, {
            token: u.token,
            body: { article: { title: 'Final name', body: `final body ${i}` } },
          }),
        ),
      );

      expect(statuses(responses)).toEqual([200]);
      const after = responses.map((r) => r.body.article.slug as string);
      expect(new Set(after).size).toBe(owners.length);
      expect(after.filter((s) => s === 'final-name')).toHaveLength(1);
      const reads = await batch(
        'read renamed',
        after.map((slug) => sut.call('get', `/api/articles/${slug}`)),
      );
      expect(reads.map((r) => r.body.article.body)).toEqual(owners.map((_, i) => `final body ${i}`));
      const gone = await batch(
        'read old slugs',
        before.map((slug) => sut.call('get', `/api/articles/${slug}`)),
      );
      expect(statuses(gone)).toEqual([404]);
    });
  });
});
