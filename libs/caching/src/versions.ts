import { EPOCH } from './cache-key';
import type { RedisCacheStore } from './redis-cache.store';

/** Past this many names the memo starts again (versions are read from Redis again): a bound on memory. */
const MAX_NAMES = 100_000;

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
 * The versions this instance builds keys with, remembered from Redis and from the bus, and used only
 * while `trusted()` (the bus heard from within `CACHE_UNCONFIRMED_MAX_MS`: only then has every bump made
 * elsewhere reached this instance within the bound); otherwise read from Redis. Without Redis (one
 * instance) the memo is the truth.
 */
export class Versions {
  /** Replaced by `forget`: a Redis read started before must not fill the new one. */
  private known = new Map<string, number>();
  /** Moves on whenever a remembered version changes or all are forgotten (see `isCurrent`). */
  private revision = 0;
  /** The revision at which each stamp was last found current: unchanged since, it still is. */
  private readonly verified = new WeakMap<Stamp, number>();

  constructor(
    private readonly store: Pick<RedisCacheStore, 'read' | 'bump'> | null,
    private readonly trusted: () => boolean,
  ) {}

  /** The versions of `names`, without I/O when they are known and trusted. */
  current(names: readonly string[]): number[] | Promise<number[]> {
    return this.peek(names) ?? this.read(names);
  }

  /** The versions of `names` if all are known and trusted right now, else undefined (never I/O). */
  peek(names: readonly string[]): number[] | undefined {
    if (this.store === null) return names.map((name) => this.localVersion(name));
    if (!this.trusted()) return undefined;
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
    if (this.store !== null && !this.trusted()) return false;
    if (this.verified.get(stamp) === this.revision) return true;
    const { names, versions } = stamp;
    for (let i = 0; i < names.length; i++) if (this.known.get(names[i]) !== versions[i]) return false;
    this.verified.set(stamp, this.revision);
    return true;
  }

  /** Moves `names` on, everywhere; their new versions and the epoch (rejects when Redis could not). */
  async bump(names: readonly string[]): Promise<Record<string, number>> {
    const unique = [...new Set(names)];
    const { epoch, bumped } =
      this.store === null
        ? { epoch: this.localVersion(EPOCH), bumped: unique.map((name) => this.localVersion(name) + 1) }
        : await this.store.bump(unique);
    const versions = { [EPOCH]: epoch, ...Object.fromEntries(unique.map((name, i) => [name, bumped[i]])) };
    this.learn(versions);
    return versions;
  }

  /**
   * Versions only move forward: a read that started before a bump must not undo what the bus said.
   * A newer epoch starts again (Redis lost its versions, or `clear()`: they restart from 0); versions
   * of an older one are ignored.
   */
  learn(versions: Readonly<Record<string, number>>): void {
    const epoch = versions[EPOCH];
    const knownEpoch = this.known.get(EPOCH);
    if (epoch !== undefined && knownEpoch !== undefined && epoch !== knownEpoch) {
      if (epoch < knownEpoch) return;
      this.forget();
    }
    if (this.known.size > MAX_NAMES) this.forget();
    for (const [name, version] of Object.entries(versions)) {
      const known = this.known.get(name);
      if (known !== undefined && version > known) this.revision++;
      if (known === undefined || version > known) this.known.set(name, version);
    }
  }

  /** Drops every remembered version (messages may have been missed): they are read from Redis again. */
  forget(): void {
    if (this.store === null) return;
    this.known = new Map();
    this.revision++;
  }

  private async read(names: readonly string[]): Promise<number[]> {
    const known = this.known;
    const versions = await this.store!.read(names);
    if (known !== this.known || !this.trusted()) return versions;
    this.learn(Object.fromEntries(names.map((name, i) => [name, versions[i]])));
    return this.peek(names) ?? versions;
  }

  private localVersion(name: string): number {
    let version = this.known.get(name);
    if (version === undefined) this.known.set(name, (version = name === EPOCH ? Date.now() : 0));
    return version;
  }
}
