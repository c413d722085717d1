// What the bench needs from its database and app: a clean start (no articles left by the previous
// run's writes), signed-in users, and real slugs, tags and authors to ask for.
import { execFileSync } from 'node:child_process';
import { withDatabase } from './app-env.mjs';
import { clearKeyspace } from './fresh-database.mjs';

/** Titles of the articles the mixed case creates, so the next run can remove them. */
export const BENCH_TITLE_PREFIX = 'Bench write ';

/**
 * Deletes the articles earlier bench runs created, so every run reads the same table (the seed then
 * vacuums it). Runs before the seed: on a fresh database the table does not exist yet.
 */
async function removeBenchArticles(env) {
  return withDatabase(env, async (client) => {
    const exists = await client.query(`SELECT to_regclass('public.articles') IS NOT NULL AS ok`);
    if (!exists.rows[0].ok) return 0;
    const removed = await client.query('DELETE FROM articles WHERE title LIKE $1', [`${BENCH_TITLE_PREFIX}%`]);
    return removed.rowCount ?? 0;
  });
}

/**
 * The same table on every run: the previous run's writes removed, the full seed applied
 * (idempotent), and the cache keyspace emptied, since those rows changed behind the app's back.
 */
export async function seedForLoad(env, log) {
  const removed = await removeBenchArticles(env);
  if (removed > 0) log(`removed ${removed} article(s) written by the previous run`);
  log(`migrating and seeding ${env.DB_NAME} (idempotent) ...`);
  execFileSync(process.execPath, ['dist/migrations/seed/run-seed.js'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  await clearKeyspace(env);
}

async function getJson(url, init) {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function login(baseUrl, email) {
  const body = JSON.stringify({ user: { email, password: 'password123' } });
  const { user } = await getJson(`${baseUrl}/api/users/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body,
  });
  return user.token;
}

/**
 * Tokens of seeded users 1..count. Two at a time: each login costs the app a 32 MiB scrypt, and a
 * burst of them would raise its peak RSS beyond what serving requests needs.
 */
export async function loginSeedUsers(baseUrl, count) {
  const tokens = new Array(count);
  for (let i = 0; i < count; i += 2) {
    const batch = [i, i + 1].filter((j) => j < count);
    await Promise.all(batch.map(async (j) => (tokens[j] = await login(baseUrl, `seeduser${j + 1}@example.com`))));
  }
  return tokens;
}

/** Real slugs (the newest `slugCount`), tags, authors and the table's size, read from the API. */
export async function discoverContent(baseUrl, slugCount = 100) {
  const { articles, articlesCount } = await getJson(`${baseUrl}/api/articles?limit=${slugCount}`);
  const { tags } = await getJson(`${baseUrl}/api/tags`);
  if (articles.length === 0 || tags.length === 0) throw new Error('the bench database has no articles or tags');
  return {
    slugs: articles.map((a) => a.slug),
    authors: [...new Set(articles.map((a) => a.author.username))],
    tags,
    articlesCount,
  };
}
