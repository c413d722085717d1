import { Client } from 'pg';
import { setTimeout as delay } from 'node:timers/promises';
import { startApp, type RunningApp } from '../../../scripts/lib/app-process.mjs';
import { KeepAliveClient, type Outcome } from './support/keep-alive-client';

const GRACE_MS = 1500;
const WRITERS = 6;
const SHUTTING_DOWN = { errors: { server: ['is shutting down, retry later'] } };
// A request the server never accepted: its new connection found no listener (or was reset in the backlog).
const NEVER_ACCEPTED = ['ECONNREFUSED', 'ECONNRESET'];

interface Write extends Outcome {
  title: string;
}

function timeline(o: Outcome, from: number): string {
  const when = `${(o.sentAt - from).toFixed(0)}..${(o.endedAt - from).toFixed(0)} ms`;
  const connection = o.reusedSocket ? 'reused' : 'new';
  return `${when} ${connection} connection: ${o.status ?? o.errorCode} ${o.headers?.connection ?? ''}`;
}

/**
 * SIGTERM under a steady stream of writes on kept-alive connections, against the built app as
 * Kubernetes runs it. What a client sees, exactly:
 * - during SHUTDOWN_GRACE_MS: every request served as usual (readiness alone says 503);
 * - then: the request in flight on each connection completes (2xx, `Connection: close`), and any
 *   request still arriving gets 503 in the envelope with `Retry-After` and `Connection: close`;
 * - a request on a connection the server closed never fails: the client only sees a connection error
 *   when it opens a NEW connection after the server stopped listening (ECONNREFUSED);
 * - every 2xx is in the database, no 503 is, and the process exits 0.
 */
describe('Shutdown on SIGTERM', () => {
  const run = `sd${process.pid}x${Date.now().toString(36)}`;
  let app: RunningApp;
  let db: Client;

  beforeAll(async () => {
    app = await startApp({ SHUTDOWN_GRACE_MS: String(GRACE_MS), LOG_LEVEL: 'info' }, { output: 'capture' });
    db = new Client({
      host: process.env.DB_HOST,
      port: Number(process.env.DB_PORT),
      user: process.env.DB_USER,
      password: process.env.DB_PASSWORD,
      database: process.env.DB_NAME,
    });
    await db.connect();
  }, 90_000);
  afterAll(async () => {
    await app.stop();
    // Articles go with their author (ON DELETE CASCADE).
    await db.query(`DELETE FROM users WHERE username = $1`, [run]);
    await db.end();
  });

  /** Creates articles one after another on one kept-alive connection until the server is gone. */
  async function writeUntilGone(writer: number, token: string, log: Write[]): Promise<void> {
    const client = new KeepAliveClient(app.baseUrl);
    const auth = { authorization: `Token ${token}` };
    for (let i = 0; ; i++) {
      const title = `${run} w${writer} n${i}`;
      const article = { title, description: 'steady writes through SIGTERM', body: 'body', tagList: [] };
      const outcome = await client.send('POST', '/api/articles', { article }, auth);
      log.push({ ...outcome, title });
      if (outcome.errorCode) break;
    }
    client.close();
  }

  async function register(username: string): Promise<string> {
    const user = { username, email: `${username}@example.com`, password: 'shutdown-test-pw' };
    const outcome = await new KeepAliveClient(app.baseUrl).send('POST', '/api/users', { user });
    expect(outcome.status).toBe(201);
    return (JSON.parse(outcome.body ?? '') as { user: { token: string } }).user.token;
  }

  it('should drain, refuse late requests in the envelope, lose no acknowledged write and exit 0', async () => {
    const token = await register(run);
    const logs: Write[][] = Array.from({ length: WRITERS }, () => []);
    const writing = Promise.all(logs.map((log, writer) => writeUntilGone(writer, token, log)));
    // A client between two requests when the server closes: its kept-alive connection is still open.
    const idle = new KeepAliveClient(app.baseUrl);
    const first = await idle.send('GET', '/api/tags');
    await delay(500);

    const signalledAt = performance.now();
    const exited = app.stop();
    await delay(100);
    const ready = await fetch(`${app.baseUrl}/health/ready`);
    const live = await fetch(`${app.baseUrl}/health/live`);
    await delay(signalledAt + GRACE_MS + 200 - performance.now());
    const late = await idle.send('GET', '/api/tags');
    idle.close();
    await writing;
    const exitCode = await exited;

    const all = logs.flat();
    const created = all.filter((o) => o.status === 201);
    const refusedWrites = all.filter((o) => o.status === 503);
    const refused = [...refusedWrites, late].filter((o) => o.status === 503);
    const failed = all.filter((o) => o.errorCode);
    const inDb = await db.query<{ title: string }>(`SELECT title FROM articles WHERE title LIKE $1`, [`${run} %`]);
    const stored = new Set(inDb.rows.map((r) => r.title));
    const inGrace = created.filter((o) => o.sentAt > signalledAt + 100 && o.endedAt < signalledAt + GRACE_MS - 100);
    const finishedWhileClosing = created.filter((o) => o.headers?.connection === 'close');
    console.log(
      `shutdown: ${all.length + 2} requests sent (${all.length} writes, 2 on an idle connection), ` +
        `${created.length} writes acknowledged (${inGrace.length} during the grace, ${finishedWhileClosing.length} in flight at the close), ` +
        `${refused.length} refused with 503, ${failed.length} not accepted (${failed.map((o) => o.errorCode).join(', ')}), ` +
        `${stored.size} in the database, exit ${exitCode}`,
    );
    // SHUTDOWN_TIMELINE=1: each write, in ms from the signal, to see what a failure saw.
    if (process.env.SHUTDOWN_TIMELINE) console.log(all.map((o) => timeline(o, signalledAt)).join('\n'));

    expect(ready.status).toBe(503);
    expect(live.status).toBe(200);
    expect(inGrace.length).toBeGreaterThan(0);
    expect(first.status).toBe(200);
    expect(late).toEqual(expect.objectContaining({ status: 503, reusedSocket: true }));
    // Six writers always have requests in flight: each completes, and says the connection is done.
    expect(finishedWhileClosing.length).toBeGreaterThan(0);
    expect(all.filter((o) => o.status !== undefined && ![201, 503].includes(o.status))).toEqual([]);
    for (const o of refused) {
      expect(o.endedAt - signalledAt).toBeGreaterThanOrEqual(GRACE_MS - 50);
      expect(JSON.parse(o.body ?? '')).toEqual(SHUTTING_DOWN);
      expect(o.headers).toEqual(expect.objectContaining({ 'retry-after': '1', connection: 'close' }));
    }
    expect(refused.length).toBeGreaterThan(0);
    // Each writer's last request found no server, on a fresh connection: never a request the server had read.
    expect(failed).toHaveLength(WRITERS);
    for (const o of failed) {
      expect(o.reusedSocket).toBe(false);
      expect(NEVER_ACCEPTED).toContain(o.errorCode);
    }
    expect(created.map((o) => o.title).filter((u) => !stored.has(u))).toEqual([]);
    expect(refusedWrites.map((o) => o.title).filter((u) => stored.has(u))).toEqual([]);
    expect(stored.size).toBe(created.length);
    expect(exitCode).toBe(0);
  }, 60_000);
});
