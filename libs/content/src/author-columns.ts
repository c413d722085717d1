import type { ProfileRow } from '@app/users';

/** The author's columns for alias `u` (users), flat, as `AuthorColumns` names them. */
export const AUTHOR_COLUMNS = `u.id AS "authorId", u.username AS "authorUsername", u.bio AS "authorBio", u.image AS "authorImage"`;

export interface AuthorColumns {
  authorId: number;
  authorUsername: string;
  authorBio: string | null;
  authorImage: string | null;
}

export function authorOf(row: AuthorColumns): ProfileRow {
  return { id: row.authorId, username: row.authorUsername, bio: row.authorBio, image: row.authorImage };
}
