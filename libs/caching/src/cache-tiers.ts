import { Logger } from '@nestjs/common';
import type { CacheInvalidationBus } from './cache-invalidation.bus';
import { PendingInvalidations } from './pending-invalidations';
import type { RedisCacheStore } from './redis-cache.store';

const MAX_PENDING_INVALIDATIONS = 10_000;
const RECOVERY_RETRY_MS = 500;

/**
 * Which tiers the cache may use right now, and the way back after Redis trouble.
 *
 * - L2 is up while Redis's breaker is closed and every invalidation it missed has been replayed: an
 *   invalidation that could not reach Redis (breaker open, or one failed command) may leave a stale
 *   entry there, so Redis is bypassed until it is replayed.
 * - L1 (and the response tier) is on while L2 is up, the invalidation channel is subscribed and the
 *   bus has been heard within `CACHE_UNCONFIRMED_MAX_MS` (`CacheInvalidationBus.confirmed`), since
 *   only then do other instances' invalidations reach it (or always, with no Redis configured).
 * Every change of either empties the local state (`onReset`): an instance that may have missed
 * invalidations starts again from Redis.
 */
export class CacheTiers {
  private readonly logger = new Logger('RedisCache');
  private readonly pending = new PendingInvalidations(MAX_PENDING_INVALIDATIONS);
  l2Up: boolean;
  /** L1's state as of the last change; the bus's confirmation is read live (it lapses with no event). */
  private l1Allowed: boolean;
  private replayed = true;
  private recovery: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly enabled: boolean,
    private readonly l2: RedisCacheStore,
    private readonly bus: CacheInvalidationBus,
    private readonly onReset: () => void,
  ) {
    this.l2Up = enabled && l2.configured;
    this.l1Allowed = this.computeL1On();
    l2.onStateChange((up) => (up ? void this.recover() : this.lose()));
    bus.onReadyChange(() => this.reset());
  }

  get l1On(): boolean {
    return this.l1Allowed && this.bus.confirmed;
  }

  /** True when Redis is configured but unusable: reads go straight to the database. */
  get bypassed(): boolean {
    return this.l2.configured && !this.l2Up;
  }

  /** Invalidations that did not (or could not) reach Redis: replayed before Redis is used again. */
  missed(keys: readonly string[], namespaces: readonly string[] = []): void {
    this.pending.add(keys, namespaces);
    if (!this.replayed) return;
    this.lose();
    if (this.l2.closed) void this.recover();
  }

  shutdown(): void {
    clearTimeout(this.retryTimer);
  }

  private lose(): void {
    this.replayed = false;
    this.reset();
  }

  private recover(): Promise<void> {
    this.recovery ??= this.tryRecover().finally(() => (this.recovery = undefined));
    return this.recovery;
  }

  private async tryRecover(): Promise<void> {
    clearTimeout(this.retryTimer);
    const done = await this.replayPending();
    if (!this.l2.closed) return; // open again: its next close retries
    if (!done) {
      this.retryTimer = setTimeout(() => void this.recover(), RECOVERY_RETRY_MS).unref();
      return;
    }
    this.replayed = true;
    this.reset();
  }

  private async replayPending(): Promise<boolean> {
    const dropped = this.pending.takeDropped();
    if (dropped > 0) this.logger.error(`${dropped} cache invalidation(s) lost while Redis was down: stale up to TTL`);
    if (this.pending.size === 0) return true;
    const keys = [...this.pending.keys];
    const namespaces = [...this.pending.namespaces];
    try {
      if (keys.length > 0) await this.l2.delete(keys);
      const bumped = namespaces.length > 0 ? await this.l2.bumpVersions(namespaces) : [];
      const versions = Object.fromEntries(namespaces.map((namespace, i) => [namespace, bumped[i]]));
      await this.l2.publish(this.bus.encode({ keys, versions }));
    } catch {
      return false;
    }
    this.pending.remove(keys, namespaces);
    this.logger.log(`Replayed ${keys.length + namespaces.length} invalidation(s) Redis missed`);
    return this.pending.size === 0;
  }

  private reset(): void {
    this.onReset();
    this.l2Up = this.enabled && this.l2.configured && this.l2.closed && this.replayed;
    this.l1Allowed = this.computeL1On();
  }

  private computeL1On(): boolean {
    return this.enabled && (!this.l2.configured || (this.l2Up && this.bus.ready));
  }
}
