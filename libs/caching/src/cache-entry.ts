/**
 * One cached value: the exact JSON text (what L1 counts and L2 stores) plus, parsed on first use, a
 * frozen copy. L1 hits hand out that copy without parsing again; it is frozen because every caller
 * shares it, so an accidental mutation throws instead of corrupting the cache for other viewers.
 */
export class CacheEntry {
  private parsed: unknown;
  private isParsed = false;

  constructor(
    readonly json: string,
    /** Epoch ms after which the entry is stale (still usable when the database is down). */
    readonly freshUntil: number,
    /** Epoch ms when it was loaded: the `Age` of a stale answer. */
    readonly storedAt: number = Date.now(),
  ) {}

  get value(): unknown {
    if (!this.isParsed) {
      this.parsed = deepFreeze(JSON.parse(this.json));
      this.isParsed = true;
    }
    return this.parsed;
  }

  isFresh(now: number = Date.now()): boolean {
    return now < this.freshUntil;
  }
}

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

// L2 holds `<freshUntil>,<storedAt>:<json>`: the logical expiry and the load time travel with the
// value, so an expired copy can still be served (and its age told) when the database is down.
export function encodeEntry(entry: CacheEntry): string {
  return `${entry.freshUntil},${entry.storedAt}:${entry.json}`;
}

/** `undefined` for anything that is not an encoded entry (e.g. written by an older release). */
export function decodeEntry(raw: unknown): CacheEntry | undefined {
  if (typeof raw !== 'string') return undefined;
  const colon = raw.indexOf(':');
  const [freshUntil, storedAt] = raw.slice(0, Math.max(colon, 0)).split(',').map(Number);
  if (colon <= 0 || !Number.isFinite(freshUntil) || !Number.isFinite(storedAt)) return undefined;
  return new CacheEntry(raw.slice(colon + 1), freshUntil, storedAt);
}
