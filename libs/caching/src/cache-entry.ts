/**
 * One cached value: its exact JSON (what L1 counts and L2 stores) and, parsed on first use, a frozen
 * copy that every L1 hit shares: a caller's mutation throws instead of reaching other readers.
 */
export class CacheEntry {
  private parsed?: { value: unknown };

  constructor(
    readonly json: string,
    readonly freshUntil: number, // epoch ms; a stale entry still answers while the database is down
    readonly storedAt: number = Date.now(), // when it was loaded: the `Age` of a stale answer
  ) {}

  get value(): unknown {
    this.parsed ??= { value: deepFreeze(JSON.parse(this.json)) };
    return this.parsed.value;
  }

  isFresh(): boolean {
    return Date.now() < this.freshUntil;
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** For L2: an expired copy can still answer, and tell its age. */
export function encodeEntry(entry: CacheEntry): string {
  return `${entry.freshUntil},${entry.storedAt}:${entry.json}`;
}

/** `undefined` for anything else (e.g. what an older release wrote). */
export function decodeEntry(raw: unknown): CacheEntry | undefined {
  const head = typeof raw === 'string' ? /^(\d+),(\d+):/.exec(raw) : null;
  return head === null ? undefined : new CacheEntry(head.input.slice(head[0].length), +head[1], +head[2]);
}
