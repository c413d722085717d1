// Request generators for the bench's varied cases (see per-connection.mjs): the mixed signed-in
// load of issue 9 and uncached pages at random offsets. Each returns makeNext(connectionIndex).
import { BENCH_TITLE_PREFIX } from './bench-fixtures.mjs';
import { connectionSeed, mulberry32 } from './per-connection.mjs';

/** The mixed case's shares: 15% writes in equal parts, the rest reads split between lists and articles. */
export const MIXED_SHARES = { favorite: 0.05, unfavorite: 0.05, create: 0.05, list: 0.425, article: 0.425 };
export const READ_KINDS = ['list', 'article'];
export const WRITE_KINDS = ['favorite', 'unfavorite', 'create'];

/** List pages a reader asks for: the first pages, a smaller page, and the filters on real values. */
function listPaths({ tags, authors }) {
  const q = encodeURIComponent;
  return [
    '/api/articles',
    '/api/articles',
    '/api/articles?offset=20',
    '/api/articles?offset=40',
    '/api/articles?offset=100',
    '/api/articles?limit=10',
    ...tags.slice(0, 3).map((t) => `/api/articles?tag=${q(t)}`),
    ...authors.slice(0, 3).map((a) => `/api/articles?author=${q(a)}`),
    ...authors.slice(0, 2).map((a) => `/api/articles?favorited=${q(a)}`),
  ];
}

/**
 * Connection i signs in as user i mod tokens.length and picks each request at random by
 * MIXED_SHARES. Favorites and reads target the newest articles (the first pages), where a write
 * costs the cache the most. Created articles carry BENCH_TITLE_PREFIX and a seeded tag.
 */
export function mixedWorkload(content, tokens) {
  const lists = listPaths(content);
  const { slugs, tags } = content;
  const run = Date.now().toString(36);
  const thresholds = [];
  let sum = 0;
  for (const [kind, share] of Object.entries(MIXED_SHARES)) thresholds.push([(sum += share), kind]);

  return (index) => {
    const rand = mulberry32(connectionSeed(index));
    const pick = (items) => items[Math.floor(rand() * items.length)];
    const headers = { Authorization: `Token ${tokens[index % tokens.length]}` };
    const json = { ...headers, 'Content-Type': 'application/json' };
    let created = 0;
    return () => {
      const r = rand();
      const kind = (thresholds.find(([upTo]) => r < upTo) ?? thresholds.at(-1))[1];
      switch (kind) {
        case 'favorite':
          return { kind, method: 'POST', path: `/api/articles/${pick(slugs)}/favorite`, headers };
        case 'unfavorite':
          return { kind, method: 'DELETE', path: `/api/articles/${pick(slugs)}/favorite`, headers };
        case 'create': {
          const title = `${BENCH_TITLE_PREFIX}${run}-${index}-${++created}`;
          const article = { title, description: 'Written by npm run bench', body: `${title}.`, tagList: [pick(tags)] };
          return { kind, method: 'POST', path: '/api/articles', headers: json, body: JSON.stringify({ article }) };
        }
        case 'list':
          return { kind, path: pick(lists), headers };
        default:
          return { kind, path: `/api/articles/${pick(slugs)}`, headers };
      }
    };
  };
}

/** Anonymous list pages at offsets uniform over the whole table (0 .. articlesCount - 20). */
export function deepPagesWorkload(articlesCount) {
  const lastOffset = Math.max(0, articlesCount - 20);
  return (index) => {
    const rand = mulberry32(connectionSeed(index));
    return () => ({ kind: 'page', path: `/api/articles?offset=${Math.floor(rand() * (lastOffset + 1))}` });
  };
}
