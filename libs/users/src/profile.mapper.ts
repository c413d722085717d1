/** The viewer-independent columns of a profile, plus the id the viewer's `following` is looked up by. */
export interface ProfileRow {
  id: number;
  username: string;
  bio: string | null;
  image: string | null;
}

/**
 * A profile as a viewer sees it. `F` is `boolean` in a finished document, or a placeholder the cache
 * turns into a per-viewer slot (`ViewerFlag` in @app/caching). `ProfileDto` implements it.
 */
export interface ProfileView<F = boolean> {
  username: string;
  bio: string | null;
  image: string | null;
  following: F;
}

/** The one mapping from a profile row to the profile document. */
export function toProfile<F>(row: ProfileRow, following: F): ProfileView<F> {
  return { username: row.username, bio: row.bio, image: row.image, following };
}
