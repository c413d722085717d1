import type { ViewerSets } from './spliced-json';

/**
 * How the response tier learns who is asking and what their own sets are, without any I/O. The caching
 * lib knows neither tokens nor favorites: the application binds this token (see ResponseCacheModule).
 */
export interface ViewerLookup {
  /** The viewer's id if this Authorization header is a token already verified and unexpired, else undefined. */
  resolve(authorization: string): number | undefined;
  /** The viewer's sets if they are in the in-process cache right now, else undefined. */
  sets(viewerId: number): ViewerSets | undefined;
}

export const VIEWER_LOOKUP = Symbol('VIEWER_LOOKUP');
