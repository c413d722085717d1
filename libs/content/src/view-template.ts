import { SplicedJsonBuilder, type SplicedJson } from '@app/caching';

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

/** The viewer's sets the per-viewer booleans are looked up in (see `ViewerOverlayService`). */
export const FAVORITES = 'favorites';
export const FOLLOWEES = 'followees';

/** Appends an article: `following` of its author, then `favorited`, both per viewer. */
export function appendArticle(doc: SplicedJsonBuilder, t: ViewTemplate): SplicedJsonBuilder {
  return doc
    .text(`${t.head}, "following" : `)
    .slot(FOLLOWEES, t.authorId)
    .text('}, "favorited" : ')
    .slot(FAVORITES, t.id)
    .text('}');
}

/** Appends a comment: `following` of its author, per viewer. */
export function appendComment(doc: SplicedJsonBuilder, t: ViewTemplate): SplicedJsonBuilder {
  return doc.text(`${t.head}, "following" : `).slot(FOLLOWEES, t.authorId).text('}}');
}

/** `{"<key>":[ item, item, ... ]<tail>}` as a SplicedJson. */
export function listDocument(
  key: string,
  items: ViewTemplate[],
  append: (doc: SplicedJsonBuilder, t: ViewTemplate) => SplicedJsonBuilder,
  tail = '',
): SplicedJson {
  const doc = new SplicedJsonBuilder().text(`{"${key}":[`);
  items.forEach((t, i) => append(i === 0 ? doc : doc.text(','), t));
  return doc.text(`]${tail}}`).build();
}

/** `{"<key>": item}` as a SplicedJson. */
export function singleDocument(
  key: string,
  item: ViewTemplate,
  append: (doc: SplicedJsonBuilder, t: ViewTemplate) => SplicedJsonBuilder,
): SplicedJson {
  return append(new SplicedJsonBuilder().text(`{"${key}":`), item)
    .text('}')
    .build();
}
