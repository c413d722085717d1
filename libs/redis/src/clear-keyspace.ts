import type { Redis } from 'ioredis';

/**
 * Deletes every key whose name starts with `prefix` (one deployment's keyspace, `<CACHE_KEYSPACE>:`):
 * SCAN + UNLINK in batches, never KEYS (blocks Redis) or FLUSHDB (other deployments share it).
 * The one clearer for the app (`CacheService.clear`), the tests and the scripts (fresh-database.mjs).
 */
export async function clearKeyspace(client: Redis, prefix: string): Promise<number> {
  let removed = 0;
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${escapeGlob(prefix)}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) removed += await client.unlink(...keys);
  } while (cursor !== '0');
  return removed;
}

/** SCAN MATCH is a glob: a keyspace containing `*`, `?`, `[` or `\` must match only itself. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
