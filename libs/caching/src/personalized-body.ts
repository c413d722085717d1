import type { SplicedJson } from './spliced-json';
import type { Stamp } from './versions';

/** What a cached read route returns: the text for this viewer, and the template the response tier keeps. */
export class PersonalizedBody<T = unknown> {
  /** Phantom: the document type `json` renders, so routes declare what they send. */
  declare readonly document?: T;
  readonly stamp?: Stamp;
  readonly staleSince?: number; // a stale copy's load time, served while the database is down

  constructor(
    readonly json: string,
    readonly template: SplicedJson,
    { stamp, staleSince }: { stamp?: Stamp; staleSince?: number },
    /** Builds it again, anonymous, through the route's service: the tier renews an outdated entry so. */
    readonly refresh?: () => Promise<PersonalizedBody<T>>,
  ) {
    this.stamp = stamp;
    this.staleSince = staleSince;
  }
}
