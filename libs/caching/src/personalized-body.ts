import type { SplicedJson } from './spliced-json';
import type { Stamp } from './versions';

/**
 * What a cached read route returns: the text for this request's viewer, and the template with the
 * versions it was built under, which the response tier keeps while they are current.
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
    { stamp, staleSince }: { stamp?: Stamp; staleSince?: number },
  ) {
    this.stamp = stamp;
    this.staleSince = staleSince;
  }
}
