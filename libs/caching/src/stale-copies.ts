import type { CacheEntry } from './cache-entry';

interface Copy {
  entry: CacheEntry;
  bytes: number;
}

/**
 * The newest copy of each cached value, by identity (its key without the versions it was built
 * under), kept even after a write invalidates it: while PostgreSQL is down, a read is answered from
 * it rather than with 503 (stale-if-error). Bounded by bytes, oldest first out, and by age.
 */
export class StaleCopies {
  private readonly copies = new Map<string, Copy>();
  private totalBytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly maxAgeMs: number,
  ) {}

  get bytes(): number {
    return this.totalBytes;
  }

  remember(identity: string, entry: CacheEntry): void {
    if (this.maxAgeMs === 0) return;
    this.forget(identity);
    // Shares the entry with L1: costs memory only for what L1 has already let go.
    const bytes = identity.length + entry.json.length;
    if (bytes > this.maxBytes) return;
    this.copies.set(identity, { entry, bytes });
    this.totalBytes += bytes;
    for (const [oldest, copy] of this.copies) {
      if (this.totalBytes <= this.maxBytes) break;
      this.copies.delete(oldest);
      this.totalBytes -= copy.bytes;
    }
  }

  /** The copy if it was stored within the age bound. */
  newest(identity: string, now = Date.now()): CacheEntry | undefined {
    const copy = this.copies.get(identity);
    return copy !== undefined && now - copy.entry.storedAt <= this.maxAgeMs ? copy.entry : undefined;
  }

  clear(): void {
    this.copies.clear();
    this.totalBytes = 0;
  }

  private forget(identity: string): void {
    const copy = this.copies.get(identity);
    if (copy === undefined) return;
    this.copies.delete(identity);
    this.totalBytes -= copy.bytes;
  }
}
