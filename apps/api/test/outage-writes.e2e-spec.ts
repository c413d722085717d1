import { PrivatePostgres } from '../../../test-support/private-postgres';
import { startApp, type RunningApp } from '../../../scripts/lib/app-process.mjs';

const WRITERS = 16;
const ALLOWED = new Set([200, 201, 204, 503]);

interface Answer {
  status: number;
  retryAfter: string | null;
}

/**
 * Writes while PostgreSQL shuts down and stays down, against the built app (a child process, so its
 * log is exactly what production prints): every answer is a success or 503 + Retry-After, never 500
 * (a released query runner, a cut session, a closed pool), and the log stays a few lines long however
 * many requests fail. A private cluster: the shared server is never stopped.
 */
describe('Writes during a PostgreSQL stop', () => {
  let pg: PrivatePostgres | undefined;
  let app: RunningApp | undefined;

  beforeAll(async () => {
    pg = await PrivatePostgres.create();
    app = await startApp(
      {
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        DB_HOST: '127.0.0.1',
        DB_PORT: String(pg.port),
        DB_USER: 'postgres',
        DB_PASSWORD: 'trust-auth-ignores-it',
        DB_NAME: 'postgres',
        CACHE_KEYSPACE: `outage-writes-${process.pid}`,
      },
      { output: 'capture' },
    );
  }, 120_000);
  afterAll(async () => {
    try {
      await app?.stop();
    } finally {
      await pg?.destroy();
    }
  }, 30_000);

  const call = async (method: string, path: string, token?: string, body?: unknown): Promise<Answer> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Token ${token}`;
    const res = await fetch(app!.baseUrl + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 500 && res.status !== 503) console.error(`${method} ${path} → ${res.status} ${text}`);
    return { status: res.status, retryAfter: res.headers.get('retry-after') };
  };

  it('should answer every write 2xx or 503 + Retry-After, never 500, and log O(1) lines', async () => {
    const user = { username: 'writer', email: 'writer@example.com', password: 'password123' };
    const registered = await fetch(`${app!.baseUrl}/api/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user }),
    });
    const token = ((await registered.json()) as { user: { token: string } }).user.token;
    const article = (n: number) => ({ article: { title: `Outage ${n}`, description: 'd', body: 'b', tagList: ['t'] } });
    const created = await call('POST', '/api/articles', token, article(0));
    expect(created.status).toBe(201);
    const slug = 'outage-0';

    const writes = [
      (n: number) => call('POST', '/api/articles', token, article(n)),
      () => call('POST', `/api/articles/${slug}/favorite`, token),
      () => call('DELETE', `/api/articles/${slug}/favorite`, token),
      (n: number) => call('POST', `/api/articles/${slug}/comments`, token, { comment: { body: `c${n}` } }),
      (n: number) => call('PUT', '/api/user', token, { user: { bio: `bio ${n}` } }),
    ];
    const answers: Answer[] = [];
    let running = true;
    let n = 1;
    const writer = async () => {
      while (running) answers.push(await writes[n % writes.length](n++));
    };
    const writers = Array.from({ length: WRITERS }, writer);

    await new Promise((resolve) => setTimeout(resolve, 500));
    const logFrom = app!.output().length;
    await pg!.stop();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    running = false;
    await Promise.all(writers);
    await app!.stop(); // the last summary is written as the server closes
    const outageLog = app!.output().slice(logFrom).split('\n').filter(Boolean);

    const byStatus: Record<number, number> = {};
    for (const { status } of answers) byStatus[status] = (byStatus[status] ?? 0) + 1;
    const unavailable = answers.filter((answer) => answer.status === 503);
    expect(
      Object.keys(byStatus)
        .map(Number)
        .filter((status) => !ALLOWED.has(status)),
    ).toEqual([]);
    expect(unavailable.length).toBeGreaterThan(100);
    expect(unavailable.every((answer) => /^\d+$/.test(answer.retryAfter ?? ''))).toBe(true);

    const json = outageLog.flatMap((line) =>
      line.startsWith('{') ? [JSON.parse(line) as Record<string, unknown>] : [],
    );
    const summaries = json.filter((line) => line.msg === 'requests failed with 503 (summary)');
    const summarized = summaries.reduce((sum, line) => sum + Number(line.total), 0);
    expect(json.filter((line) => line.statusCode === 503 && line.msg === 'request completed')).toEqual([]);
    // ERROR lines only for state changes (the breaker opening), none about a request.
    expect(json.filter((line) => line.level === 50 && ('reqId' in line || 'requestId' in line))).toEqual([]);
    expect(summarized).toBe(unavailable.length);
    expect(outageLog.length).toBeLessThan(40);
    console.log(
      `${answers.length} writes: ${JSON.stringify(byStatus)}; ${outageLog.length} log lines during the outage:\n` +
        outageLog.join('\n'),
    );
  }, 60_000);
});
