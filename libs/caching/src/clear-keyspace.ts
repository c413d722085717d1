import type { RedisClient } from './redis-connection';

/**
 * Deletes every key whose name starts with `prefix` (one deployment's keyspace, `<CACHE_KEYSPACE>:`):
 * SCAN + UNLINK in batches, never KEYS (blocks Redis) or FLUSHDB (other deployments share it).
 * The one clearer for the app (`CacheService.clear`), the tests and the scripts (fresh-database.mjs).
 */
export async function clearKeyspace(client: RedisClient, prefix: string): Promise<number> {
  let removed = 0;
  for await (const keys of client.scanIterator({ MATCH: `${escapeGlob(prefix)}*`, COUNT: 500 })) {
    if (keys.length > 0) removed += await client.unlink(keys);
  }
  return removed;
}

/** SCAN MATCH is a glob: a keyspace containing `*`, `?`, `[` or `\` must match only itself. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
