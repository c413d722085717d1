import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import request from 'supertest';
import { createStreamingPair, type StreamingPair } from '../../../scripts/lib/postgres-cluster.mjs';
import { RedisTestServer } from '../../../test-support/redis-test-server';

// A real primary with a real streaming replica (pg_basebackup -R) on free ports, and two instances of
// the production app sharing them and Redis: reads go to the replica once it has replayed every write
// an instance knows of (its own, or announced with another instance's cache invalidation).

jest.setTimeout(120_000);

const KEYSPACE = `replicas-e2e-${process.pid}`;

interface ReplicaView {
  state: string;
  readsServed: number;
  readsFailedOver: number;
  lagBytes: number | null;
  lagMs: number | null;
}

let pair: StreamingPair;
/** A Redis of this spec's own: one test freezes it. */
let redis: RedisTestServer;
let a: NestFastifyApplication;
let b: NestFastifyApplication;
let createApp: () => Promise<NestFastifyApplication>;
let token: string;

function connect(port: number): Promise<Client> {
  const client = new Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
  return client.connect().then(() => client);
}

/** One statement on a server of the pair, outside the app. */
async function sql<T>(port: number, text: string, params: unknown[] = []): Promise<T[]> {
  const client = await connect(port);
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

async function startInstance(): Promise<NestFastifyApplication> {
  const app = await createApp();
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

async function replicaOf(app: NestFastifyApplication): Promise<ReplicaView> {
  const res = await request(app.getHttpServer()).get('/api/monitoring/database/health');
  return (res.body as { replicas: ReplicaView[] }).replicas[0];
}

async function readsOnPrimary(app: NestFastifyApplication): Promise<number> {
  const res = await request(app.getHttpServer()).get('/api/monitoring/database/health');
  return (res.body as { primary: { readsInsteadOfReplica: number } }).primary.readsInsteadOfReplica;
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Until the replica has replayed everything the primary has written so far. */
async function replicaCaughtUp(): Promise<void> {
  const [{ lsn }] = await sql<{ lsn: string }>(pair.primary.port, 'SELECT pg_current_wal_insert_lsn()::text AS lsn');
  await waitFor('the replica to replay', async () => {
    const [row] = await sql<{ done: boolean }>(pair.replica.port, 'SELECT pg_last_wal_replay_lsn() >= $1 AS done', [
      lsn,
    ]);
    return row.done;
  });
}

/** Scans of the app's tables the server itself counted (a standby keeps its own statistics). */
async function tableScans(port: number): Promise<number> {
  const [row] = await sql<{ scans: string }>(
    port,
    'SELECT coalesce(sum(seq_scan + coalesce(idx_scan, 0)), 0) AS scans FROM pg_stat_user_tables',
  );
  return Number(row.scans);
}

let uncachedReads = 0;

/** A list page no one asked for before (a new offset each time): a cache miss, so a database read. */
async function uncachedRead(app: NestFastifyApplication): Promise<number> {
  const res = await request(app.getHttpServer()).get(`/api/articles?limit=1&offset=${1000 + uncachedReads++}`);
  return res.status;
}

/** Until `app` has read from the replica again. */
async function readsBackOnReplica(app: NestFastifyApplication): Promise<void> {
  await waitFor('reads served by the replica', async () => {
    const before = (await replicaOf(app)).readsServed;
    expect(await uncachedRead(app)).toBe(200);
    return (await replicaOf(app)).readsServed > before;
  });
}

async function createArticle(app: NestFastifyApplication, title: string): Promise<string> {
  const res = await request(app.getHttpServer())
    .post('/api/articles')
    .set('Authorization', `Token ${token}`)
    .send({ article: { title, description: 'd', body: 'first', tagList: ['replica'] } });
  expect(res.status).toBe(201);
  return (res.body as { article: { slug: string } }).article.slug;
}

async function editBody(app: NestFastifyApplication, slug: string, body: string): Promise<void> {
  const res = await request(app.getHttpServer())
    .put(`/api/articles/${slug}`)
    .set('Authorization', `Token ${token}`)
    .send({ article: { body } });
  expect(res.status).toBe(200);
}

async function bodyOf(app: NestFastifyApplication, slug: string): Promise<string> {
  const res = await request(app.getHttpServer()).get(`/api/articles/${slug}`);
  expect(res.status).toBe(200);
  return (res.body as { article: { body: string } }).article.body;
}

beforeAll(async () => {
  pair = await createStreamingPair();
  redis = await RedisTestServer.start();
  delete process.env.REDIS_HOST;
  delete process.env.REDIS_PORT;
  Object.assign(process.env, {
    REDIS_URL: redis.url,
    DB_HOST: '127.0.0.1',
    DB_PORT: String(pair.primary.port),
    DB_USER: 'postgres',
    DB_PASSWORD: 'trust-auth-ignores-it',
    DB_NAME: 'postgres',
    DB_REPLICA_HOSTS: `127.0.0.1:${pair.replica.port}`,
    CACHE_KEYSPACE: KEYSPACE,
  });
  delete process.env.MONITORING_TOKEN;
  ({ createApp } = await import('../src/http/create-app'));
  a = await startInstance(); // applies the migrations at boot
  b = await startInstance();
  const res = await request(a.getHttpServer())
    .post('/api/users')
    .send({ user: { username: 'writer', email: 'writer@example.com', password: 'password123' } });
  token = (res.body as { user: { token: string } }).user.token;
  await replicaCaughtUp();
  await waitFor('the replica to be up on both instances', async () => {
    const [ra, rb] = await Promise.all([replicaOf(a), replicaOf(b)]);
    return ra.state === 'up' && rb.state === 'up';
  });
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  await pair?.destroy();
  await redis?.kill();
});

describe('reads on a streaming replica', () => {
  it('should serve uncached reads and cache fills from the replica, as its own statistics show', async () => {
    const slugs: string[] = [];
    for (let i = 0; i < 10; i++) slugs.push(await createArticle(a, `Replica read ${i}`));
    await replicaCaughtUp();
    const replicaScansBefore = await tableScans(pair.replica.port);
    const servedBefore = (await replicaOf(a)).readsServed;
    const primaryBefore = await readsOnPrimary(a);

    // Every one a miss (each slug and page read once on this instance since its write), so a database read.
    for (const slug of slugs) await bodyOf(a, slug);
    for (let offset = 0; offset < 10; offset++) {
      const res = await request(a.getHttpServer()).get(`/api/articles?limit=1&offset=${offset}`);
      expect(res.status).toBe(200);
    }

    const served = (await replicaOf(a)).readsServed - servedBefore;
    const onPrimary = (await readsOnPrimary(a)) - primaryBefore;
    const share = served / (served + onPrimary);
    console.log(`replica share of reads: ${served}/${served + onPrimary} = ${(share * 100).toFixed(1)}%`);
    expect(served).toBeGreaterThanOrEqual(20);
    expect(share).toBeGreaterThanOrEqual(0.9);
    // The replica's own counters: it really ran them (statistics reach the view within a second or so).
    await waitFor('replica statistics', async () => (await tableScans(pair.replica.port)) >= replicaScansBefore + 20);
  });

  it('should show each replica in /metrics: state, lag in bytes and seconds, reads served', async () => {
    const replica = `127.0.0.1:${pair.replica.port}`;
    const res = await request(a.getHttpServer()).get('/metrics');
    const sample = (name: string, labels: string) => {
      const line = res.text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
      return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
    };

    expect(sample('db_replica_state', `replica="${replica}",state="up"`)).toBe(1);
    expect(sample('db_replica_state', `replica="${replica}",state="down"`)).toBe(0);
    expect(sample('db_replica_lag_bytes', `replica="${replica}"`)).toBeGreaterThanOrEqual(0);
    expect(sample('db_replica_lag_seconds', `replica="${replica}"`)).toBeGreaterThanOrEqual(0);
    expect(sample('db_replica_reads_total', `replica="${replica}",outcome="served"`)).toBeGreaterThanOrEqual(20);
    expect(res.text).toMatch(/^db_reads_routed_to_primary_total \d+$/m);
  });

  it('should show a write to a read right after it, on the same and on the other instance', async () => {
    const slug = await createArticle(a, 'Read your writes');
    // A replica that is always a little behind, as under load: replay waits 300 ms after each commit.
    await sql(pair.replica.port, "ALTER SYSTEM SET recovery_min_apply_delay = '300ms'");
    await sql(pair.replica.port, 'SELECT pg_reload_conf()');
    try {
      const seen = { same: 0, other: 0 };
      const rounds = 30;
      for (let i = 0; i < rounds; i++) {
        // One writer per half: the reader then knows of the write only from the writer's invalidation.
        const writer = i < rounds / 2 ? a : b;
        const other = writer === a ? b : a;
        await editBody(writer, slug, `version ${i}`);
        // The other instance first: its cache miss is a database read, not the writer's fill found in Redis.
        if ((await bodyOf(other, slug)) === `version ${i}`) seen.other++;
        if ((await bodyOf(writer, slug)) === `version ${i}`) seen.same++;
      }
      console.log(`read-your-writes: same instance ${seen.same}/${rounds}, other instance ${seen.other}/${rounds}`);
      expect(seen).toEqual({ same: rounds, other: rounds });
    } finally {
      await sql(pair.replica.port, 'ALTER SYSTEM RESET recovery_min_apply_delay');
      await sql(pair.replica.port, 'SELECT pg_reload_conf()');
    }
    await replicaCaughtUp();
  });

  it('should send reads of data written since replay paused to the primary, and answer them correctly', async () => {
    const slug = await createArticle(a, 'Paused replay');
    await replicaCaughtUp();
    await sql(pair.replica.port, 'SELECT pg_wal_replay_pause()');
    try {
      // Until this first write, the paused replica has everything: reads before it may use it.
      await editBody(a, slug, 'paused start');
      const servedBefore = (await replicaOf(a)).readsServed + (await replicaOf(b)).readsServed;
      const rounds = 20;
      let correct = 0;
      for (let i = 0; i < rounds; i++) {
        const writer = i % 2 === 0 ? a : b;
        await editBody(writer, slug, `paused ${i}`);
        const [here, there] = await Promise.all([bodyOf(a, slug), bodyOf(b, slug)]);
        if (here === `paused ${i}` && there === `paused ${i}`) correct++;
      }
      // The replica really is behind: asked directly, it still has the article as it was.
      const [onReplica] = await sql<{ body: string }>(pair.replica.port, 'SELECT body FROM articles WHERE slug = $1', [
        slug,
      ]);
      const servedDuring = (await replicaOf(a)).readsServed + (await replicaOf(b)).readsServed - servedBefore;
      console.log(
        `replay paused: ${correct}/${rounds} rounds correct on both instances; ` +
          `replica served ${servedDuring} reads meanwhile; replica itself still says "${onReplica.body}"`,
      );
      expect(onReplica.body).toBe('first');
      expect(correct).toBe(rounds);
      expect(servedDuring).toBe(0);
    } finally {
      await sql(pair.replica.port, 'SELECT pg_wal_replay_resume()');
    }
    await replicaCaughtUp();
    await readsBackOnReplica(a);
    await readsBackOnReplica(b);
  });

  it('should keep reads off the replica while the invalidation bus may be missing positions (Redis frozen)', async () => {
    await readsBackOnReplica(a);
    redis.pause();
    try {
      // Past CACHE_UNCONFIRMED_MAX_MS (1 s) without its heartbeat, the bus can no longer vouch for what it heard.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const served = (await replicaOf(a)).readsServed;
      for (let i = 0; i < 5; i++) expect(await uncachedRead(a)).toBe(200);
      expect((await replicaOf(a)).readsServed).toBe(served);
    } finally {
      redis.resume();
    }
    await readsBackOnReplica(a);
  });

  it('should answer every read while the replica stops and comes back, then use it again', async () => {
    const slugs = [await createArticle(a, 'Outage one'), await createArticle(b, 'Outage two')];
    let failures = 0;
    let reads = 0;
    let running = true;
    const load = (async () => {
      while (running) {
        for (const app of [a, b]) {
          reads++;
          if ((await uncachedRead(app)) !== 200) failures++;
          const article = await request(app.getHttpServer()).get(`/api/articles/${slugs[reads % 2]}`);
          reads++;
          if (article.status !== 200) failures++;
        }
      }
    })();
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      await pair.replica.stop();
      await waitFor('the replica to be down', async () => (await replicaOf(a)).state === 'down');
      const servedWhileDown = (await replicaOf(a)).readsServed;
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect((await replicaOf(a)).readsServed).toBe(servedWhileDown);
      await pair.replica.start();
      await waitFor('the replica to be up again', async () => (await replicaOf(a)).state === 'up');
      await readsBackOnReplica(a);
      await readsBackOnReplica(b);
    } finally {
      running = false;
      await load;
    }
    console.log(`replica stopped and restarted under load: ${reads} reads, ${failures} failed`);
    expect(failures).toBe(0);
    expect(reads).toBeGreaterThan(20);
  });

  it('should boot and serve while the replica is down, and use it once it is back', async () => {
    await pair.replica.stop();
    let late: NestFastifyApplication | undefined;
    try {
      const started = Date.now();
      late = await startInstance();
      const bootMs = Date.now() - started;
      const list = await request(late.getHttpServer()).get('/api/articles');
      expect(list.status).toBe(200);
      expect((await replicaOf(late)).state).toBe('down');
      console.log(`booted in ${bootMs} ms with the replica down; first list read ${list.status}`);
      await pair.replica.start();
      const app = late;
      await waitFor('the replica to be up for the late instance', async () => (await replicaOf(app)).state === 'up');
      await readsBackOnReplica(app);
    } finally {
      await late?.close();
    }
  });
});
