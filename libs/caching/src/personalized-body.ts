import type { SplicedJson } from './spliced-json';
import type { Stamp } from './versions';

/**
 * What a cached read route returns: the text for this request's viewer, and the template with the
 * versions it was built under, which the response tier keeps to answer the next requests for the same
 * URL itself while those versions are current.
 */
export class PersonalizedBody<T = unknown> {
  /** Phantom: the document type `json` renders, so routes declare what they send. */
  declare readonly document?: T;
  readonly stamp?: Stamp;
  /** Set for a stale copy served while the database is down: when it was loaded (epoch ms). */
  readonly staleSince?: number;

  constructor(
    readonly json: string,
    readonly template: SplicedJson,
    /** Where the document came from: its versions (a fresh value) or when it was loaded (a stale copy). */
    { stamp, staleSince }: { stamp?: Stamp; staleSince?: number },
  ) {
    this.stamp = stamp;
    this.staleSince = staleSince;
  }
}
