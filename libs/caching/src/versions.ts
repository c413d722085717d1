import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { CacheInvalidationBus } from './cache-invalidation.bus';
import { EPOCH } from './cache-key';
import { RedisCacheStore } from './redis-cache.store';

/** The versions a value (or a response composed of several) was built under: current while each is. */
export interface Stamp {
  readonly names: readonly string[];
  readonly versions: readonly number[];
}

/** One stamp for a response built from several values; undefined if any part has none (not cacheable). */
export function joinStamps(stamps: readonly (Stamp | undefined)[]): Stamp | undefined {
  if (stamps.some((stamp) => stamp === undefined)) return undefined;
  return { names: stamps.flatMap((stamp) => stamp!.names), versions: stamps.flatMap((stamp) => stamp!.versions) };
}

/**
 * The versions this instance builds keys with, and bumps, which reach every instance through Redis and the
 * bus. Remembered versions are trusted only while the bus is `confirmed`, else read from Redis.
 */
@Injectable()
export class Versions implements OnApplicationShutdown {
  private readonly logger = new Logger('CacheService');
  /** Without Redis, the truth. Replaced by `forget`: a Redis read begun before cannot fill the new one. */
  private known = new Map<string, number>();
  /** Moves on whenever a remembered version does: a stamp found current at this revision still is. */
  private revision = 0;
  private readonly verified = new WeakMap<Stamp, number>();
  /** Redis reads in flight, by names; replaced by `forget`, so a read begun before answers only who asked before. */
  private reads = new Map<string, Promise<number[]>>();
  /** A bump never reached Redis: other instances may still read what it retired (see `recover`). */
  private missedBump = false;
  private recovery: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: RedisCacheStore,
    readonly bus: CacheInvalidationBus,
  ) {
    bus.on('message', (versions) => this.learn(versions));
    bus.on('confirmed', () => this.forget()); // messages may have been missed meanwhile
    store.on('up', () => this.recover());
    store.on('down', () => this.forget());
  }

  /** False while Redis is configured but its breaker is open, or a bump it missed is not made up for. */
  get usable(): boolean {
    return !this.store.configured || (!this.missedBump && this.store.closed);
  }

  peek(names: readonly string[]): number[] | undefined {
    if (!this.store.configured) return names.map((name) => this.localVersion(name));
    if (!this.trusted) return undefined;
    const versions = new Array<number>(names.length);
    for (let i = 0; i < names.length; i++) {
      const version = this.known.get(names[i]);
      if (version === undefined) return undefined;
      versions[i] = version;
    }
    return versions;
  }

  /** Remembered per stamp until a version changes: a list page names 40-odd, checked on every tier hit. */
  isCurrent(stamp: Stamp): boolean {
    if (this.store.configured && !this.trusted) return false;
    if (this.verified.get(stamp) === this.revision) return true;
    const { names, versions } = stamp;
    for (let i = 0; i < names.length; i++) if (this.known.get(names[i]) !== versions[i]) return false;
    this.verified.set(stamp, this.revision);
    return true;
  }

  /** One Redis read for all who ask at once (a new article's first page view: every reader misses together). */
  read(names: readonly string[]): Promise<number[]> {
    const id = names.join(' ');
    const reads = this.reads; // a read ending after `forget` leaves its own map, not the new one
    const reading = reads.get(id) ?? this.readOnce(names).finally(() => reads.delete(id));
    reads.set(id, reading);
    return reading;
  }

  /** Never throws: a bump Redis missed is made up for (`recover`). */
  async bump(names: readonly string[]): Promise<void> {
    await this.publish(names).catch(() => {
      this.forget();
      this.missedBump = true;
      this.recover();
    });
  }

  forget(): void {
    if (!this.store.configured) return;
    this.known = new Map();
    this.reads = new Map();
    this.revision++;
  }

  onApplicationShutdown(): void {
    clearTimeout(this.recovery);
  }

  private get trusted(): boolean {
    return this.usable && this.bus.confirmed;
  }

  private async publish(names: readonly string[]): Promise<void> {
    const unique = [...new Set(names)];
    if (this.store.configured) return this.learn(await this.store.bump(unique, this.bus.encode));
    const local: Record<string, number> = { [EPOCH]: this.localVersion(EPOCH) };
    for (const name of unique) local[name] = this.localVersion(name) + 1;
    this.learn(local);
  }

  // Only forward (a read begun before a bump must not undo it), but a newer epoch starts over (Redis lost them, clear).
  private learn(versions: Readonly<Record<string, number>>): void {
    const epoch = versions[EPOCH];
    const knownEpoch = this.known.get(EPOCH);
    if (epoch !== undefined && knownEpoch !== undefined && epoch !== knownEpoch) {
      if (epoch < knownEpoch) return;
      this.forget();
    }
    if (this.known.size > 100_000) this.forget(); // a bound on memory
    for (const [name, version] of Object.entries(versions)) {
      const known = this.known.get(name);
      if (known !== undefined && version > known) this.revision++;
      if (known === undefined || version > known) this.known.set(name, version);
    }
  }

  /** Moves the epoch on past a missed bump, retiring all cached before: once Redis is back, then every 500 ms. */
  private recover(): void {
    clearTimeout(this.recovery);
    if (!this.missedBump || !this.store.closed) return;
    this.publish([EPOCH]).then(
      () => {
        this.missedBump = false;
        this.logger.log('Redis back: the cache epoch moved on past the write(s) it missed');
      },
      () => (this.recovery = setTimeout(() => this.recover(), 500).unref()),
    );
  }

  private async readOnce(names: readonly string[]): Promise<number[]> {
    const known = this.known;
    const versions = await this.store.read(names);
    if (known !== this.known || !this.trusted) return versions;
    this.learn(Object.fromEntries(names.map((name, i) => [name, versions[i]])));
    return this.peek(names) ?? versions;
  }

  private localVersion(name: string): number {
    let version = this.known.get(name);
    if (version === undefined) this.known.set(name, (version = name === EPOCH ? Date.now() : 0));
    return version;
  }
}
