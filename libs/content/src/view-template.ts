/**
 * A viewer-independent JSON object, serialized by PostgreSQL, cut open just before the per-viewer
 * fields. `head` ends inside the nested `author` object, so rendering for a viewer is two string
 * concatenations: no parse, no re-serialization, and the cached bytes are shared by every viewer.
 */
export interface ViewTemplate {
  id: number;
  authorId: number;
  head: string;
}

const ISO_MS = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/** An ISO-8601 UTC timestamp with milliseconds, as RealWorld clients parse it. */
export function isoTimestamp(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', ${ISO_MS})`;
}

/** SQL for the author sub-object; must be the LAST key of the outer object (see `closeArticle`). */
export function authorJson(alias: string): string {
  return `json_build_object('username', ${alias}.username, 'bio', ${alias}.bio, 'image', ${alias}.image)`;
}

/** Cuts `{..., "author" : {...}}` open before its two closing braces. */
export function openTemplate(jsonSql: string): string {
  return `left((${jsonSql})::text, -2)`;
}

/** An article or comment (author nested, `favorited` after it when `favorited` is given). */
export function renderArticle(t: ViewTemplate, favorited: boolean, following: boolean): string {
  return `${t.head}, "following" : ${following}}, "favorited" : ${favorited}}`;
}

export function renderComment(t: ViewTemplate, following: boolean): string {
  return `${t.head}, "following" : ${following}}}`;
}
