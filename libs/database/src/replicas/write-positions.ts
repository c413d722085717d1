import { Injectable } from '@nestjs/common';
import { formatLsn, parseLsn, type Lsn } from './lsn';

/**
 * The newest write position (primary WAL LSN) this instance knows of: its own writes (`noteWrite`, taken
 * right after each commit) and other instances' (`heard`, carried by the cache invalidation message that
 * follows every write). A replica serves a read only once it has replayed up to `newest()`, so a read
 * after a write (here, or on an instance that heard of it) never sees the data from before it, and a
 * cache fill never stores it. The model is GitLab's database load balancing.
 */
@Injectable()
export class WritePositions {
  private newestLsn: Lsn = 0n;
  private othersHeard: () => boolean = () => true;
  /** When each still-recent position was first known, oldest first: how long a replica has been behind. */
  private readonly knownAt: { lsn: Lsn; at: number }[] = [];

  /** After a local write: the primary's `pg_current_wal_insert_lsn()` once it committed. */
  noteWrite(lsn: string): void {
    this.learn(parseLsn(lsn));
  }

  /** Another instance's write position (from the wire: anything malformed is ignored). */
  heard(lsn: unknown): void {
    this.learn(parseLsn(lsn));
  }

  /**
   * Registers how to tell whether other instances' positions may have been missed: the invalidation bus
   * says so while it cannot confirm it hears everything (Redis down, hung or silent). Meanwhile no
   * replica is trusted, so a read is never older than the bus's own staleness bound allows.
   */
  heardThrough(confirmed: () => boolean): void {
    this.othersHeard = confirmed;
  }

  /** False while positions announced by other instances may be missing (see `heardThrough`). */
  get complete(): boolean {
    return this.othersHeard();
  }

  /** As text, for the invalidation message; undefined before any write is known. */
  newest(): string | undefined {
    return this.newestLsn === 0n ? undefined : formatLsn(this.newestLsn);
  }

  get newestPosition(): Lsn {
    return this.newestLsn;
  }

  /**
   * Milliseconds since the oldest known write that `replayed` does not cover yet: how long a replica has
   * been behind, on this instance's clock (0 when it has everything this instance knows of).
   */
  delayOf(replayed: Lsn, now = Date.now()): number {
    const oldest = this.knownAt.find((known) => known.lsn > replayed);
    return oldest === undefined ? 0 : now - oldest.at;
  }

  /** Forgets the dates of writes every replica has replayed (the newest is kept). */
  forgetReplayed(byAll: Lsn): void {
    let drop = 0;
    while (drop < this.knownAt.length - 1 && this.knownAt[drop].lsn <= byAll) drop++;
    if (drop > 0) this.knownAt.splice(0, drop);
  }

  private learn(lsn: Lsn | undefined): void {
    if (lsn === undefined || lsn <= this.newestLsn) return;
    this.newestLsn = lsn;
    this.knownAt.push({ lsn, at: Date.now() });
    // Bounded: under a write storm one entry per few ms is plenty to date a delay.
    if (this.knownAt.length > 1000) this.knownAt.splice(0, this.knownAt.length - 1000);
  }
}
