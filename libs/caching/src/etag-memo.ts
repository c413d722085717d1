import { createHash } from 'node:crypto';

const MAX_ENTRIES = 256;

/**
 * Strong ETags of response bodies, remembered for the strings served over and over: an anonymous
 * cached page is the very same string object on every request, and a `Map` finds it by identity in
 * nanoseconds, where hashing its bytes again would take microseconds. Bounded (oldest out first).
 */
export class EtagMemo {
  private readonly tags = new Map<string, string>();

  constructor(private readonly maxEntries: number = MAX_ENTRIES) {}

  /** The ETag of `body`; `remember` only for bodies likely to be sent again. */
  etagOf(body: string, remember: boolean): string {
    const known = this.tags.get(body);
    if (known !== undefined) return known;
    const etag = strongEtag(body);
    if (remember) {
      if (this.tags.size >= this.maxEntries) this.tags.delete(this.tags.keys().next().value as string);
      this.tags.set(body, etag);
    }
    return etag;
  }
}

/** `"<sha1 of the UTF-8 bytes, base64url>"`. */
export function strongEtag(body: string): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}
