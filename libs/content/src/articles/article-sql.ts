import { authorJson, isoTimestamp, openTemplate } from '../view-template';

/** The article object for alias `a` (articles) and `u` (its author); lists leave out `body`. */
export function articleTemplateSql(withBody: boolean): string {
  return openTemplate(`json_build_object(
    'slug', a.slug,
    'title', a.title,
    'description', a.description,
    ${withBody ? `'body', a.body,` : ''}
    -- sorted names, kept by a trigger on article_tags (migration ArticleTagList)
    'tagList', array_to_json(a.tag_list),
    'createdAt', ${isoTimestamp('a.created_at')},
    'updatedAt', ${isoTimestamp('a.updated_at')},
    'favoritesCount', a.favorites_count,
    'author', ${authorJson('u')})`);
}

export interface ArticleFilter {
  tag?: string;
  author?: string;
  favorited?: string;
  /** The feed: articles by authors this user follows. */
  followedBy?: number;
}

/**
 * WHERE clauses from fixed fragments, values always as parameters. Each filter is served by an
 * index: article_tags_tag_idx (tag), articles_author_created_idx (author, feed), favorites PK.
 */
export function filterSql(filter: ArticleFilter, params: unknown[]): string {
  const clauses: string[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  if (filter.tag !== undefined) {
    clauses.push(
      `a.id IN (SELECT at.article_id FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE t.name = ${param(filter.tag)})`,
    );
  }
  if (filter.author !== undefined) {
    clauses.push(`a.author_id = (SELECT id FROM users WHERE username = ${param(filter.author)})`);
  }
  if (filter.favorited !== undefined) {
    clauses.push(
      `a.id IN (SELECT f.article_id FROM favorites f WHERE f.user_id = (SELECT id FROM users WHERE username = ${param(filter.favorited)}))`,
    );
  }
  if (filter.followedBy !== undefined) {
    clauses.push(`a.author_id IN (SELECT followee_id FROM follows WHERE follower_id = ${param(filter.followedBy)})`);
  }
  return clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
}
