import SwaggerParser from '@apidevtools/swagger-parser';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { TestApp } from './support/test-app';

// The id the app gives a request that did not send an acceptable one of its own.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('Foundation', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await TestApp.start();
  });
  afterAll(async () => {
    await sut.close();
  });

  describe('/docs-json', () => {
    it('should serve a valid OpenAPI 3 document with the Token scheme and unique operationIds', async () => {
      const res = await request(sut.server).get('/docs-json');
      expect(res.status).toBe(200);
      const doc = structuredClone(res.body);
      await expect(SwaggerParser.validate(doc)).resolves.toEqual(
        expect.objectContaining({ openapi: res.body.openapi }),
      );
      expect(res.body.openapi).toMatch(/^3\./);
      expect(res.body.info).toEqual(expect.objectContaining({ title: 'PrepNexus API', version: '1.0.0' }));
      expect(res.body.components.securitySchemes.Token).toEqual(
        expect.objectContaining({ type: 'apiKey', in: 'header', name: 'Authorization' }),
      );
      const ids = Object.values(res.body.paths as Record<string, Record<string, { operationId: string }>>).flatMap(
        (ops) => Object.values(ops).map((op) => op.operationId),
      );
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(expect.arrayContaining(['createUser', 'login', 'getArticles', 'createArticle', 'getTags']));
    });

    it('should serve Swagger UI at /docs', async () => {
      const res = await request(sut.server).get('/docs');
      expect(res.status).toBe(200);
      expect(res.text).toContain('swagger');
    });
  });

  describe('error envelope', () => {
    it('should answer malformed JSON with 400 in the envelope', async () => {
      const res = await sut.call('post', '/api/users', {
        body: '{"user": {',
        headers: { 'Content-Type': 'application/json' },
      });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ errors: { body: [expect.stringContaining('JSON')] } });
    });

    it('should answer an unknown route with 404 in the envelope', async () => {
      // unknown routes are not in the docs: plain supertest
      const res = await request(sut.server).get('/api/no-such-route');
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ errors: { body: ['Cannot GET /api/no-such-route'] } });
    });

    it('should answer a body over the limit with 413 in the envelope', async () => {
      const huge = 'x'.repeat(300 * 1024);
      const res = await sut.call('post', '/api/users', {
        body: { user: { username: 'big', email: 'big@example.com', password: huge } },
      });
      expect(res.status).toBe(413);
      expect(res.body).toEqual({ errors: { body: [expect.any(String)] } });
    });

    it('should answer a malformed URL with 400 in the envelope, with a request id', async () => {
      const res = await request(sut.server).get('/api/articles/%E0%A4%A');
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ errors: { body: [expect.any(String)] } });
      expect(res.headers['x-request-id']).toMatch(UUID);
    });

    it('should answer a NUL character in input with 422 naming the field, not a database error', async () => {
      const res = await sut.call('get', '/api/articles?tag=%00');
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ errors: { tag: ['must not contain a NUL character'] } });
    });

    it('should answer validation errors with 422 keyed by field', async () => {
      const res = await sut.call('post', '/api/users', { body: { user: { username: '', email: 'nope' } } });
      expect(res.status).toBe(422);
      expect(res.body).toEqual({
        errors: {
          username: expect.arrayContaining([expect.any(String)]),
          email: ['is invalid'],
          password: expect.arrayContaining([expect.any(String)]),
        },
      });
      expect(res.text).not.toMatch(/stack|at .*\.ts|SELECT|INSERT/i);
    });
  });

  describe('CORS', () => {
    it('should answer a preflight for every method served, with Authorization allowed', async () => {
      const res = await request(sut.server)
        .options('/api/articles/some-slug')
        .set('Origin', 'https://frontend.example')
        .set('Access-Control-Request-Method', 'PUT')
        .set('Access-Control-Request-Headers', 'authorization,content-type');
      expect(res.status).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe('https://frontend.example');
      expect(res.headers['access-control-allow-methods']).toBe('GET, POST, PUT, DELETE, OPTIONS');
      expect(res.headers['access-control-allow-headers']).toMatch(/Authorization/);
    });

    it('should allow the origin on cached reads too (answered before Nest)', async () => {
      for (let i = 0; i < 2; i++) {
        const res = await request(sut.server).get('/api/tags').set('Origin', 'https://frontend.example');
        expect(res.headers['access-control-allow-origin']).toBe('https://frontend.example');
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['x-request-id']).toMatch(UUID);
      }
    });

    it('should allow the origin on errors too, so a frontend can read them', async () => {
      for (const [path, status] of [
        ['/api/user', 401],
        ['/api/no-such-route', 404],
      ] as const) {
        const res = await request(sut.server).get(path).set('Origin', 'https://frontend.example');
        expect(res.status).toBe(status);
        expect(res.headers['access-control-allow-origin']).toBe('https://frontend.example');
        expect(res.headers['access-control-expose-headers']).toBe('ETag, X-Request-Id, Retry-After');
      }
    });
  });

  describe('request id', () => {
    it('should echo an x-request-id that was sent', async () => {
      const res = await sut.call('get', '/api/tags', { headers: { 'X-Request-Id': 'trace-abc-123' } });
      expect(res.headers['x-request-id']).toBe('trace-abc-123');
    });

    it('should assign a UUID when none (or an unsafe one) was sent', async () => {
      const res = await sut.call('get', '/api/tags', { headers: { 'X-Request-Id': 'bad id with spaces' } });
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('transactions', () => {
    it('should roll back every statement of a transaction that fails', async () => {
      const ds = sut.app.get(DataSource);
      await expect(
        ds.transaction(async (m) => {
          await m.query(`INSERT INTO users (email, username, password_hash) VALUES ('tx@example.com', 'txuser', 'x')`);
          await m.query(`INSERT INTO users (email, username, password_hash) VALUES ('TX@example.com', 'txuser2', 'x')`);
        }),
      ).rejects.toThrow(/duplicate key/);
      await expect(ds.query(`SELECT count(*)::int AS n FROM users WHERE username LIKE 'txuser%'`)).resolves.toEqual([
        { n: 0 },
      ]);
    });
  });
});
