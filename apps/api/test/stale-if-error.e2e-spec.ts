import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import type { PrivatePostgres } from '../../../test-support/private-postgres';
import { startAppOnPrivatePostgres, stopAppOnPrivatePostgres } from './support/app-on-private-postgres';

/**
 * Stale-if-error under writes (DESIGN.md §6): reads cached before PostgreSQL went away are answered
 * from their newest copy even when a write invalidated them since, marked stale; writes and reads
 * never cached get 503. PostgreSQL is a private cluster: the shared server is never stopped.
 */
describe('Stale-if-error while PostgreSQL is down', () => {
  let pg: PrivatePostgres | undefined;
  let app: NestFastifyApplication | undefined;
  let token = '';
  let slug = '';
  const before: Record<string, string> = {};

  const server = () => app!.getHttpServer();
  const get = (url: string, auth = false) => {
    const req = request(server()).get(url);
    return auth ? req.set('Authorization', `Token ${token}`) : req;
  };
  const post = (url: string, body?: object) =>
    request(server())
      .post(url)
      .set('Authorization', `Token ${token}`)
      .send(body ?? {});

  beforeAll(async () => {
    ({ pg, app } = await startAppOnPrivatePostgres());

    const user = { username: 'stale', email: 'stale@example.com', password: 'password123' };
    token = ((await request(server()).post('/api/users').send({ user })).body as { user: { token: string } }).user
      .token;
    for (const title of ['First', 'Second', 'Third']) {
      const created = await post('/api/articles', {
        article: { title, description: 'd', body: 'b', tagList: ['stale'] },
      });
      slug = (created.body as { article: { slug: string } }).article.slug;
    }
    before.signedIn = (await get('/api/articles', true)).text;
    // A favorite (it loads the article and the viewer's favorites again itself) ...
    expect((await post(`/api/articles/${slug}/favorite`)).status).toBe(200);
    // ... then reads cached before the outage, anonymous and signed in ...
    for (const url of ['/api/articles', `/api/articles/${slug}`, `/api/articles/${slug}/comments`, '/api/tags']) {
      before[url] = (await get(url)).text;
    }
    expect((await get('/api/articles', true)).status).toBe(200);
    // ... then writes invalidate the list (a create), the article (an edit) and its comments (a comment).
    expect((await post('/api/articles', { article: { title: 'Fourth', description: 'd', body: 'b' } })).status).toBe(
      201,
    );
    const edited = await request(server())
      .put(`/api/articles/${slug}`)
      .set('Authorization', `Token ${token}`)
      .send({ article: { body: 'edited' } });
    expect(edited.status).toBe(200);
    expect((await post(`/api/articles/${slug}/comments`, { comment: { body: 'hi' } })).status).toBe(200);
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    await pg.stop();
  }, 90_000);

  afterAll(async () => {
    jest.restoreAllMocks();
    await stopAppOnPrivatePostgres(app, pg);
  }, 30_000);

  // The writes invalidated these three; the tags were not, and are still a fresh hit.
  it.each(['/api/articles', '/api/articles/SLUG', '/api/articles/SLUG/comments'])(
    'should answer %s from its newest copy, marked stale with its age',
    async (path) => {
      const url = path.replace('SLUG', slug);
      const res = await get(url);

      expect(res.status).toBe(200);
      expect(res.text).toBe(before[url]);
      expect(res.headers['cache-status']).toMatch(/^PrepNexus; fwd=stale; fwd-status=503/);
      expect(Number(res.headers.age)).toBeGreaterThanOrEqual(0);
    },
  );

  it('should count each stale answer at /metrics', async () => {
    const staleServes = async () => {
      const text = (await request(server()).get('/metrics')).text;
      return Number(/^pn_cache_stale_serves_total (\d+)$/m.exec(text)?.[1]);
    };
    const before = await staleServes();
    expect((await get(`/api/articles/${slug}`)).headers['cache-status']).toMatch(/fwd=stale/);

    expect((await staleServes()) - before).toBe(1);
  });

  it('should answer what was never invalidated as usual (a fresh hit, not marked)', async () => {
    const res = await get('/api/tags');

    expect(res.status).toBe(200);
    expect(res.text).toBe(before['/api/tags']);
    expect(res.headers['cache-status']).toBeUndefined();
  });

  it('should answer a signed-in reader from the stale page with their own current flags', async () => {
    const res = await get('/api/articles', true);
    const page = res.body as { articles: { slug: string; favorited: boolean; favoritesCount: number }[] };

    expect(res.status).toBe(200);
    expect(res.headers['cache-status']).toMatch(/fwd=stale/);
    expect(res.headers['cache-control']).toBe('private, no-cache');
    // The page is the copy from before the create; the viewer's set is the one the favorite loaded.
    expect(page.articles.map((a) => a.slug)).not.toContain('fourth');
    expect(page.articles.find((a) => a.slug === slug)).toMatchObject({ favorited: true, favoritesCount: 1 });
    expect(before.signedIn).toContain('"favorited":false');
  });

  it('should answer 503 with Retry-After for a write and for a read never cached', async () => {
    for (const res of [
      await post('/api/articles', { article: { title: 'During', description: 'd', body: 'b' } }),
      await get('/api/articles?limit=7'),
    ]) {
      expect(res.status).toBe(503);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(res.body).toEqual({ errors: { database: ['is temporarily unavailable, retry later'] } });
    }
  });

  it('should serve fresh, unmarked answers (the write included) once PostgreSQL is back', async () => {
    await pg!.start();
    let res = await get('/api/articles');
    for (let i = 0; i < 100 && (res.status !== 200 || res.headers['cache-status'] !== undefined); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      res = await get('/api/articles');
    }

    expect(res.status).toBe(200);
    expect(res.headers['cache-status']).toBeUndefined();
    const favorited = (res.body as { articles: { slug: string; favoritesCount: number }[] }).articles.find(
      (a) => a.slug === slug,
    );
    expect(favorited?.favoritesCount).toBe(1);
    expect((res.body as { articlesCount: number }).articlesCount).toBe(4);
  }, 30_000);
});
