import { AUTHOR_COLUMNS, authorOf, type AuthorColumns } from '../author-columns';
import type { ArticleListRow, ArticleRow } from './article.mapper';

/** The columns of an article (alias `a`) and its author (alias `u`), named as `ArticleColumns`. */
export function articleColumnsSql(withBody: boolean, favoritesCount = 'a.favorites_count'): string {
  return `a.id, a.slug, a.title, a.description, ${withBody ? 'a.body, ' : ''}a.tag_list AS "tagList",
    a.created_at AS "createdAt", a.updated_at AS "updatedAt", ${favoritesCount} AS "favoritesCount", ${AUTHOR_COLUMNS}`;
}

export type ArticleColumns = Omit<ArticleListRow, 'author'> & AuthorColumns & { body?: string };

export function toArticleListRow(c: ArticleColumns): ArticleListRow {
  return {
    id: c.id,
    slug: c.slug,
    title: c.title,
    description: c.description,
    tagList: c.tagList,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    favoritesCount: c.favoritesCount,
    author: authorOf(c),
  };
}

export function toArticleRow(c: ArticleColumns & { body: string }): ArticleRow {
  return { ...toArticleListRow(c), body: c.body };
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

/** One page of the filtered list, as subqueries over `params`: its count and its ids, newest first. */
export interface PageSql {
  params: unknown[];
  /** Unfiltered, the total kept by triggers (article_totals); filtered, counted. */
  count: string;
  /** An index-only scan on articles_created_idx: no heap rows for skipped offsets. */
  ids: string;
}

export function pageSql(filter: ArticleFilter, limit: number, offset: number): PageSql {
  const params: unknown[] = [];
  const where = filterSql(filter, params);
  const count = where === '' ? 'SELECT total FROM article_totals' : `SELECT count(*) FROM articles a ${where}`;
  const ids = `SELECT a.id FROM articles a ${where}
    ORDER BY a.created_at DESC, a.id DESC LIMIT $${params.push(limit)} OFFSET $${params.push(offset)}`;
  return { params, count, ids };
}
