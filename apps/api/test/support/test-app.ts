import { CacheService } from '@app/caching';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/http/create-app';
import { OpenApiResponseValidator } from './openapi-validator';

export interface ApiResponse {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field
  headers: Record<string, string>;
  text: string;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

const TABLES = ['comments', 'favorites', 'article_tags', 'tags', 'articles', 'follows', 'users'];

/** The production app (createApp) on the real services, plus a client that checks every response against /docs-json. */
export class TestApp {
  private constructor(
    readonly app: NestFastifyApplication,
    private readonly validator: OpenApiResponseValidator,
  ) {}

  static async start(): Promise<TestApp> {
    const app = await createApp();
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    const docs = await request(app.getHttpServer()).get('/docs-json');
    return new TestApp(app, new OpenApiResponseValidator(docs.body));
  }

  get server() {
    return this.app.getHttpServer();
  }

  async call(method: 'get' | 'post' | 'put' | 'delete', url: string, options: CallOptions = {}): Promise<ApiResponse> {
    let req = request(this.server)[method](url);
    if (options.token) req = req.set('Authorization', `Token ${options.token}`);
    for (const [name, value] of Object.entries(options.headers ?? {})) req = req.set(name, value);
    const res = options.body === undefined ? await req : await req.send(options.body as object);
    const body: unknown = res.text && res.type.includes('json') ? JSON.parse(res.text) : res.body;
    const problems = this.validator.check(method, url, res.status, body);
    if (problems.length > 0)
      throw new Error(`Response does not match /docs-json:\n${problems.join('\n')}\n${res.text}`);
    return { status: res.status, body, headers: res.headers, text: res.text };
  }

  /** Empties every table and the cache (here, in Redis, and on other instances): TRUNCATE bypasses invalidation. */
  async truncate(): Promise<void> {
    await this.app.get(DataSource).query(`TRUNCATE ${TABLES.join(', ')} RESTART IDENTITY CASCADE`);
    await this.resetCache();
  }

  async resetCache(): Promise<void> {
    await this.app.get(CacheService).clear();
  }

  async register(username: string): Promise<{ token: string; username: string; email: string }> {
    const email = `${username}@example.com`;
    const res = await this.call('post', '/api/users', { body: { user: { username, email, password: 'password123' } } });
    if (res.status !== 201) throw new Error(`register ${username}: ${res.status} ${res.text}`);
    return { token: res.body.user.token, username, email };
  }

  async close(): Promise<void> {
    await this.app.close();
  }
}
