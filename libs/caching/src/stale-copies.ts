import { HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { CacheEntry } from './cache-entry';
import { staleCopyKey } from './cache-key';
import type { RedisCacheStore } from './redis-cache.store';

const LOG_INTERVAL_MS = 10_000;

/**
 * The newest copy of each cached value by identity (its key without versions), kept after a write
 * moved its versions on: while PostgreSQL is down, a read is answered from it rather than with 503
 * (stale-if-error), for up to `CACHE_STALE_MAX_S`. Here bounded by bytes (oldest out first), and in
 * Redis under `staleCopyKey`, so a copy made by another instance serves too.
 */
export class StaleCopies {
  private readonly logger = new Logger('CacheService');
  private readonly copies = new Map<string, { entry: CacheEntry; bytes: number }>();
  private totalBytes = 0;
  private lastLog = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly maxAgeMs: number,
    private readonly l2: RedisCacheStore,
  ) {}

  get bytes(): number {
    return this.totalBytes;
  }

  /** Keeps `entry` as the newest copy of `id`, here and (when `inL2`) in Redis. */
  async remember(id: string, entry: CacheEntry, inL2: boolean): Promise<void> {
    if (this.maxAgeMs === 0) return;
    this.forget(id);
    // Shares the entry with L1: costs memory only for what L1 has already let go.
    const bytes = id.length + entry.json.length;
    if (bytes <= this.maxBytes) {
      this.copies.set(id, { entry, bytes });
      this.totalBytes += bytes;
      for (const oldest of this.copies.keys()) {
        if (this.totalBytes <= this.maxBytes) break;
        this.forget(oldest);
      }
    }
    if (inL2) await this.l2.set(staleCopyKey(id), entry, this.maxAgeMs);
  }

  /**
   * The copy to answer with when a load failed with `err`: only for a 503 (the database is down), the
   * newest of `expired` (this key's own old entry), the copy here and the one in Redis, if young
   * enough; otherwise `err` is rethrown.
   */
  async answer(err: unknown, id: string, expired: CacheEntry | undefined, inL2: boolean): Promise<CacheEntry> {
    const databaseDown = err instanceof HttpException && err.getStatus() === (HttpStatus.SERVICE_UNAVAILABLE as number);
    const newest = databaseDown ? await this.newest(id, expired, inL2) : undefined;
    if (newest === undefined) throw err;
    return newest;
  }

  private async newest(id: string, expired: CacheEntry | undefined, inL2: boolean): Promise<CacheEntry | undefined> {
    const now = Date.now();
    const candidates = [expired, this.copies.get(id)?.entry];
    if (inL2 && this.maxAgeMs > 0) candidates.push(await this.l2.get(staleCopyKey(id)).catch(() => undefined));
    let newest: CacheEntry | undefined;
    for (const copy of candidates) {
      if (copy === undefined || now - copy.storedAt > this.maxAgeMs) continue;
      if (newest === undefined || copy.storedAt > newest.storedAt) newest = copy;
    }
    if (newest !== undefined && now - this.lastLog >= LOG_INTERVAL_MS) {
      this.lastLog = now;
      this.logger.warn(`Database unavailable: serving stale cached copies (e.g. ${id})`);
    }
    return newest;
  }

  clear(): void {
    this.copies.clear();
    this.totalBytes = 0;
  }

  private forget(id: string): void {
    const copy = this.copies.get(id);
    if (copy === undefined) return;
    this.copies.delete(id);
    this.totalBytes -= copy.bytes;
  }
}
