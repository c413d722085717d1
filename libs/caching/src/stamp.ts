/**
 * The versions a value (or a response composed of several) was built under. A copy of it is current
 * while each version is (`CacheService.isCurrent`): that is how the response tier knows, without
 * being told of writes, whether a whole response it keeps still holds.
 */
export interface Stamp {
  readonly names: readonly string[];
  readonly versions: readonly number[];
}

/** One stamp for a response built from several values; undefined if any part has none (not cacheable). */
export function joinStamps(stamps: readonly (Stamp | undefined)[]): Stamp | undefined {
  if (stamps.some((stamp) => stamp === undefined)) return undefined;
  return {
    names: stamps.flatMap((stamp) => stamp!.names),
    versions: stamps.flatMap((stamp) => stamp!.versions),
  };
}
