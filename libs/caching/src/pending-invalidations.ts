/**
 * Invalidations that could not reach Redis (it was down or its breaker open). They are replayed when
 * Redis is back, before the cache uses it again, so a write made during an outage never leaves a stale
 * entry behind in L2. Bounded: past `limit`, the oldest are dropped (and the loss is reported), which
 * leaves those entries stale for at most their TTL.
 */
export class PendingInvalidations {
  readonly keys = new Set<string>();
  readonly namespaces = new Set<string>();
  private dropped = 0;

  constructor(private readonly limit: number) {}

  get size(): number {
    return this.keys.size + this.namespaces.size;
  }

  add(keys: readonly string[], namespaces: readonly string[] = []): void {
    for (const key of keys) this.keys.add(key);
    for (const namespace of namespaces) this.namespaces.add(namespace);
    for (const key of this.keys) {
      if (this.size <= this.limit) break;
      this.keys.delete(key);
      this.dropped++;
    }
  }

  /** Forgets what was replayed (entries added meanwhile stay). */
  remove(keys: readonly string[], namespaces: readonly string[]): void {
    for (const key of keys) this.keys.delete(key);
    for (const namespace of namespaces) this.namespaces.delete(namespace);
  }

  /** How many were dropped since the last call. */
  takeDropped(): number {
    const dropped = this.dropped;
    this.dropped = 0;
    return dropped;
  }
}
