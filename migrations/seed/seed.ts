import { hashPassword } from '@app/users';
import type { DataSource } from 'typeorm';

export interface SeedSize {
  users: number;
  articles: number;
  tags: number;
}

/** The data set `npm run seed` loads: enough to make list queries and the cache meaningful. */
export const FULL_SEED: SeedSize = { users: 200, articles: 10_000, tags: 50 };
/** The embedded development database: small, so the first `npm start` is quick. */
export const SMALL_SEED: SeedSize = { users: 20, articles: 200, tags: 20 };

/** Every seeded user signs in with this password (documented in the README). */
export const SEED_PASSWORD = 'password123';

// prettier-ignore
const WORDS = [
  'nestjs', 'typescript', 'postgres', 'redis', 'caching', 'testing', 'devops', 'kubernetes', 'docker', 'node',
  'fastify', 'security', 'performance', 'design', 'architecture', 'api', 'graphql', 'rest', 'frontend', 'react',
  'angular', 'vue', 'svelte', 'css', 'html', 'javascript', 'rust', 'go', 'python', 'java', 'kotlin', 'swift',
  'linux', 'git', 'ci', 'observability', 'logging', 'metrics', 'tracing', 'sql', 'nosql', 'cloud', 'aws', 'gcp',
  'azure', 'serverless', 'microservices', 'monolith', 'refactoring', 'career', 'open-source', 'tutorial',
];

type Progress = (message: string) => void;

async function step(ds: DataSource, progress: Progress, label: string, sql: string, params: unknown[]) {
  const started = Date.now();
  const runner = ds.createQueryRunner();
  let affected = 0;
  try {
    affected = (await runner.query(sql, params, true)).affected ?? 0;
  } finally {
    await runner.release();
  }
  progress(`${label}: ${affected} row(s) written in ${Date.now() - started} ms`);
  return affected;
}

/**
 * Loads sample data with set-based SQL (one statement per table). Idempotent: rows that exist are
 * left alone, and favorite counts are recomputed from the favorites table at the end.
 */
export async function seedDatabase(ds: DataSource, size: SeedSize, progress: Progress = () => {}): Promise<string> {
  const started = Date.now();
  const passwordHash = await hashPassword(SEED_PASSWORD);
  const tagNames = WORDS.slice(0, Math.min(size.tags, WORDS.length));
  while (tagNames.length < size.tags) tagNames.push(`topic-${tagNames.length + 1}`);
  const totals: Record<string, number> = {};

  totals.users = await step(
    ds,
    progress,
    'users',
    `
    INSERT INTO users (email, username, password_hash, bio, image)
    SELECT 'seeduser' || i || '@example.com', 'seeduser' || i, $1,
           'Writes about ' || ($3::text[])[1 + i % array_length($3::text[], 1)], NULL
    FROM generate_series(1, $2::int) AS i
    ON CONFLICT DO NOTHING`,
    [passwordHash, size.users, tagNames],
  );

  totals.tags = await step(
    ds,
    progress,
    'tags',
    `
    INSERT INTO tags (name) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING`,
    [tagNames],
  );

  totals.articles = await step(
    ds,
    progress,
    'articles',
    `
    WITH authors AS (
      SELECT array_agg(id ORDER BY id) AS ids FROM users WHERE username LIKE 'seeduser%'
    )
    INSERT INTO articles (slug, title, description, body, author_id, created_at, updated_at)
    SELECT 'seed-article-' || i,
           'Seed article ' || i || ' about ' || ($2::text[])[1 + i % array_length($2::text[], 1)],
           'A short description of seed article ' || i,
           repeat('This is the body of seed article ' || i || '. ', 8),
           authors.ids[1 + i % array_length(authors.ids, 1)],
           now() - make_interval(mins => $1::int - i),
           now() - make_interval(mins => $1::int - i)
    FROM generate_series(1, $1::int) AS i, authors
    ON CONFLICT DO NOTHING`,
    [size.articles, tagNames],
  );

  totals.articleTags = await step(
    ds,
    progress,
    'article tags',
    `
    WITH t AS (SELECT array_agg(id ORDER BY id) AS ids FROM tags WHERE name = ANY($1::text[]))
    INSERT INTO article_tags (article_id, tag_id)
    SELECT a.id, t.ids[1 + (a.id * 7 + k * 13) % array_length(t.ids, 1)]
    FROM articles a, t, generate_series(0, 2) AS k
    WHERE a.slug LIKE 'seed-article-%' AND k <= a.id % 3
    ON CONFLICT DO NOTHING`,
    [tagNames],
  );

  totals.favorites = await step(
    ds,
    progress,
    'favorites',
    `
    WITH u AS (SELECT array_agg(id ORDER BY id) AS ids FROM users WHERE username LIKE 'seeduser%')
    INSERT INTO favorites (user_id, article_id)
    SELECT u.ids[1 + (a.id * 31 + k * 17) % array_length(u.ids, 1)], a.id
    FROM articles a, u, generate_series(0, 4) AS k
    WHERE a.slug LIKE 'seed-article-%' AND k < a.id % 6
    ON CONFLICT DO NOTHING`,
    [],
  );

  totals.comments = await step(
    ds,
    progress,
    'comments',
    `
    WITH u AS (SELECT array_agg(id ORDER BY id) AS ids FROM users WHERE username LIKE 'seeduser%')
    INSERT INTO comments (body, article_id, author_id, created_at, updated_at)
    SELECT 'Comment ' || (k + 1) || ' on ' || a.title, a.id,
           u.ids[1 + (a.id * 11 + k * 5) % array_length(u.ids, 1)],
           a.created_at + make_interval(mins => k + 1), a.created_at + make_interval(mins => k + 1)
    FROM articles a, u, generate_series(0, 2) AS k
    WHERE a.slug LIKE 'seed-article-%' AND k < a.id % 4
      AND NOT EXISTS (SELECT 1 FROM comments c WHERE c.article_id = a.id)`,
    [],
  );

  totals.follows = await step(
    ds,
    progress,
    'follows',
    `
    WITH u AS (SELECT array_agg(id ORDER BY id) AS ids FROM users WHERE username LIKE 'seeduser%')
    INSERT INTO follows (follower_id, followee_id)
    SELECT f, u.ids[1 + (f * 13 + k * 7) % array_length(u.ids, 1)]
    FROM u, unnest(u.ids) AS f, generate_series(0, 4) AS k
    WHERE f <> u.ids[1 + (f * 13 + k * 7) % array_length(u.ids, 1)]
    ON CONFLICT DO NOTHING`,
    [],
  );

  await step(
    ds,
    progress,
    'favorite counts',
    `
    UPDATE articles a SET favorites_count = coalesce(f.n, 0)
    FROM articles a2 LEFT JOIN (SELECT article_id, count(*)::int AS n FROM favorites GROUP BY article_id) f
      ON f.article_id = a2.id
    WHERE a.id = a2.id AND a.favorites_count <> coalesce(f.n, 0)`,
    [],
  );

  // Fresh statistics and visibility map: the planner picks the list indexes, counts use index-only scans.
  await step(
    ds,
    progress,
    'vacuum analyze',
    'VACUUM ANALYZE users, follows, articles, tags, article_tags, favorites, comments',
    [],
  );

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const parts = Object.entries(totals).map(([k, v]) => `${v} ${k}`);
  return `seed complete in ${seconds} s: ${parts.join(', ')} added (existing rows kept)`;
}
