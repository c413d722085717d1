/**
 * Keys this instance wrote to L2 in the last `windowMs`.
 *
 * The race it closes: we read the database just before another instance commits a write, that
 * instance deletes the key from Redis, and only then our (old) value reaches Redis. Its pub/sub
 * message arrives right after: if we wrote that key recently, we delete it again. (A load still in
 * flight when the message arrives is simply not stored.)
 */
export class RecentWrites {
  // Insertion-ordered: the oldest write is first, so pruning stops at the first recent one.
  private readonly writes = new Map<string, number>();

  constructor(private readonly windowMs: number) {}

  note(key: string, now: number = Date.now()): void {
    this.writes.delete(key);
    this.writes.set(key, now);
    this.prune(now);
  }

  /** Those of `keys` written within the window (forgotten from now on). */
  take(keys: readonly string[], now: number = Date.now()): string[] {
    this.prune(now);
    const raced = keys.filter((key) => this.writes.has(key));
    for (const key of raced) this.writes.delete(key);
    return raced;
  }

  clear(): void {
    this.writes.clear();
  }

  private prune(now: number): void {
    for (const [key, at] of this.writes) {
      if (now - at <= this.windowMs) break;
      this.writes.delete(key);
    }
  }
}
