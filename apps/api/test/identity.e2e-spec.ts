import { CacheService, ResponseCache } from '@app/caching';
import { UserPresence } from '@app/users';
import { DataSource } from 'typeorm';
import { TestApp, type ApiResponse } from './support/test-app';

const GONE = { errors: { authorization: ['user no longer exists'] } };
// Longer than the in-process "user exists" memo (USER_PRESENCE_TTL_MS, 30 s), shorter than the cache
// TTL (300 s) and the token's life.
const PAST_THE_MEMO_MS = 31_000;

/**
 * A correctly signed token whose user was removed (there is no delete-user API: an operator's DELETE)
 * must be 401 on every route that uses the viewer, required or optional auth, never 500 (foreign keys)
 * or 200 — also where the response tier answers signed-in readers before Nest's guards run.
 */
describe('Tokens of removed users', () => {
  let sut: TestApp;
  let jake: { token: string; username: string };
  let anne: { token: string; username: string };
  let slug: string;

  beforeAll(async () => {
    sut = await TestApp.start();
  });
  beforeEach(async () => {
    await sut.truncate();
    // TRUNCATE … RESTART IDENTITY gives the next test's users the ids of this one's.
    sut.app.get(UserPresence).clear();
    jake = await sut.register('jake');
    anne = await sut.register('anne');
    const article = { title: 'Dragons', description: 'd', body: 'b', tagList: ['x'] };
    const created = await sut.call('post', '/api/articles', { token: anne.token, body: { article } });
    slug = created.body.article.slug;
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });
  afterAll(async () => {
    await sut.close();
  });

  const removeJake = () => sut.app.get(DataSource).query('DELETE FROM users WHERE username = $1', [jake.username]);
  const articleBody = { article: { title: 'Ghost', description: 'd', body: 'b', tagList: [] } };
  const asJake: Record<string, () => Promise<ApiResponse>> = {
    'POST /api/articles': () => sut.call('post', '/api/articles', { token: jake.token, body: articleBody }),
    'POST comment': () =>
      sut.call('post', `/api/articles/${slug}/comments`, { token: jake.token, body: { comment: { body: 'boo' } } }),
    'POST favorite': () => sut.call('post', `/api/articles/${slug}/favorite`, { token: jake.token }),
    'POST follow': () => sut.call('post', `/api/profiles/${anne.username}/follow`, { token: jake.token }),
    'PUT /api/user': () => sut.call('put', '/api/user', { token: jake.token, body: { user: { bio: 'still here' } } }),
    'GET /api/user': () => sut.call('get', '/api/user', { token: jake.token }),
    'GET /api/articles': () => sut.call('get', '/api/articles', { token: jake.token }),
    'GET /api/articles (again)': () => sut.call('get', '/api/articles', { token: jake.token }),
    'GET article': () => sut.call('get', `/api/articles/${slug}`, { token: jake.token }),
    'GET profile': () => sut.call('get', `/api/profiles/${anne.username}`, { token: jake.token }),
    'GET comments': () => sut.call('get', `/api/articles/${slug}/comments`, { token: jake.token }),
  };

  const tierHits = () => sut.app.get(ResponseCache).status().hits;

  /**
   * A clock jump also outdates the invalidation bus's last heartbeat: the in-process tiers wait for
   * the next one (within CACHE_UNCONFIRMED_MAX_MS) before they answer again.
   */
  const tierBackOn = async () => {
    const cache = sut.app.get(CacheService);
    for (let i = 0; i < 100 && !cache.status().confirmed; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(cache.status().confirmed).toBe(true);
  };

  /** Reads the list signed in until the response tier answers it (its hits counted), as for a regular reader. */
  const warmSignedInReads = async () => {
    const before = tierHits();
    for (let i = 0; i < 3; i++) expect((await asJake['GET /api/articles']()).status).toBe(200);
    expect(tierHits()).toBeGreaterThan(before);
  };

  it.each(Object.keys(asJake))('should answer %s with 401 "user no longer exists"', async (route) => {
    await removeJake();

    const res = await asJake[route]();

    expect({ status: res.status, body: res.body }).toEqual({ status: 401, body: GONE });
  });

  it('should answer every route 401, in turn, with the same message', async () => {
    await removeJake();

    for (const [route, call] of Object.entries(asJake)) {
      const res = await call();
      expect({ route, status: res.status, body: res.body }).toEqual({ route, status: 401, body: GONE });
    }
  });

  it('should stop the response tier serving a removed reader as soon as one of their writes finds them gone', async () => {
    await warmSignedInReads();
    await removeJake();

    const write = await asJake['POST favorite']();
    const read = await asJake['GET /api/articles']();
    const again = await asJake['GET /api/articles']();

    expect([write.status, read.status, again.status]).toEqual([401, 401, 401]);
  });

  it('should stop the response tier serving a removed reader once the "user exists" memo expires', async () => {
    await warmSignedInReads();
    await removeJake();
    const now = Date.now();
    jest.spyOn(Date, 'now').mockImplementation(() => now + PAST_THE_MEMO_MS);
    await tierBackOn(); // so that it is the tier that must refuse, not a tier switched off

    const read = await asJake['GET /api/articles']();
    const again = await asJake['GET /api/articles']();

    expect([read.status, again.status]).toEqual([401, 401]);
  });

  it('should keep serving a signed-in reader who still exists after the memo expires (one check, then the tier)', async () => {
    await warmSignedInReads();
    const now = Date.now();
    jest.spyOn(Date, 'now').mockImplementation(() => now + PAST_THE_MEMO_MS);
    await tierBackOn();

    const read = await asJake['GET /api/articles']();
    const before = tierHits();
    const again = await asJake['GET /api/articles']();

    expect([read.status, again.status]).toEqual([200, 200]);
    expect(tierHits()).toBeGreaterThan(before);
  });
});
