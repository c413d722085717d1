import type { CacheEntry } from './cache-entry';

interface Slot {
  entry: CacheEntry;
  bytes: number;
}

/**
 * The in-process tier (L1): a least-recently-used map bounded by the total size of the serialized
 * values (UTF-8 bytes of key + JSON). A JavaScript `Map` iterates in insertion order, so re-inserting
 * on every hit keeps the least recently used entry first, where eviction takes it from.
 *
 * Expired entries are kept until evicted or replaced: `get` ignores them, `peek` still returns them
 * for stale-if-error.
 */
export class ByteLruCache {
  private readonly slots = new Map<string, Slot>();
  private totalBytes = 0;

  constructor(readonly maxBytes: number) {}

  get size(): number {
    return this.slots.size;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  /** The entry if it is fresh at `now`, marking it most recently used. */
  get(key: string, now: number = Date.now()): CacheEntry | undefined {
    const slot = this.slots.get(key);
    if (slot === undefined || !slot.entry.isFresh(now)) return undefined;
    this.slots.delete(key);
    this.slots.set(key, slot);
    return slot.entry;
  }

  /** The entry, fresh or not, without touching its recency. */
  peek(key: string): CacheEntry | undefined {
    return this.slots.get(key)?.entry;
  }

  /** Stores the entry, evicting the least recently used ones to stay within `maxBytes`. */
  set(key: string, entry: CacheEntry): boolean {
    this.delete(key);
    const bytes = Buffer.byteLength(key) + Buffer.byteLength(entry.json);
    // One entry bigger than the whole cache would only flush everything else.
    if (bytes > this.maxBytes) return false;
    this.slots.set(key, { entry, bytes });
    this.totalBytes += bytes;
    for (const [oldest, slot] of this.slots) {
      if (this.totalBytes <= this.maxBytes) break;
      this.slots.delete(oldest);
      this.totalBytes -= slot.bytes;
    }
    return true;
  }

  delete(key: string): boolean {
    const slot = this.slots.get(key);
    if (slot === undefined) return false;
    this.slots.delete(key);
    this.totalBytes -= slot.bytes;
    return true;
  }

  clear(): void {
    this.slots.clear();
    this.totalBytes = 0;
  }
}
