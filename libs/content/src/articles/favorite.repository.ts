import { DatabaseService, foreignKeyViolation } from '@app/database';
import { Injectable } from '@nestjs/common';
import { articleColumnsSql, toArticleRow, type ArticleColumns } from './article-sql';
import type { ArticleRow } from './article.mapper';
import type { ViewerGone } from './article.repository';

/** The article after a favorite or unfavorite, and whether this call changed anything. */
export interface FavoriteResult {
  row: ArticleRow;
  changed: boolean;
}

type FavoriteColumns = { viewerFound: number; changed: number } & Partial<ArticleColumns & { body: string }>;

/**
 * Favorites and the count they keep on the article, each write one statement (its own transaction: one
 * round trip, and the article row is locked only for that statement). The statement finds the article
 * by slug, checks the viewer's row (a token may outlive its user), changes the favorite and the count,
 * and reads the article back with the count it left: no query before it, none after. A repeat changes
 * nothing. A favorite is not an edit: `updated_at` stays.
 */
@Injectable()
export class FavoriteRepository {
  constructor(private readonly db: DatabaseService) {}

  favorite(viewerId: number, slug: string): Promise<FavoriteResult | 'article-missing' | ViewerGone> {
    return this.change(
      viewerId,
      slug,
      `INSERT INTO favorites (user_id, article_id) SELECT viewer.id, target.id FROM viewer, target
       ON CONFLICT DO NOTHING RETURNING article_id`,
      '+ 1',
    );
  }

  unfavorite(viewerId: number, slug: string): Promise<FavoriteResult | 'article-missing' | ViewerGone> {
    return this.change(
      viewerId,
      slug,
      `DELETE FROM favorites WHERE user_id = (SELECT id FROM viewer) AND article_id = (SELECT id FROM target)
       RETURNING article_id`,
      '- 1',
    );
  }

  /** The viewer's favorited article ids: their own small set, overlaid on cached views. */
  async favoriteIds(userId: number): Promise<number[]> {
    const rows = await this.db.read<{ ids: number[] }>(
      'SELECT coalesce(array_agg(article_id), ARRAY[]::int[]) AS ids FROM favorites WHERE user_id = $1',
      [userId],
    );
    return rows[0].ids;
  }

  /**
   * `change` adds or removes the favorite; the count moves by `delta` only if it did. The article is
   * read from the statement's snapshot, so its count is the one `counted` left when this call changed
   * it. An article deleted after the snapshot makes the insert's foreign key fail: that is a 404 too.
   */
  private async change(
    viewerId: number,
    slug: string,
    change: string,
    delta: string,
  ): Promise<FavoriteResult | 'article-missing' | ViewerGone> {
    let rows: FavoriteColumns[];
    try {
      rows = await this.db.write<FavoriteColumns>(
        `WITH viewer AS (SELECT id FROM users WHERE id = $1),
         target AS (SELECT id FROM articles WHERE slug = $2),
         changed AS (${change}),
         counted AS (
           UPDATE articles SET favorites_count = favorites_count ${delta}
           WHERE id IN (SELECT article_id FROM changed) RETURNING favorites_count)
         SELECT (SELECT count(*) FROM viewer)::int AS "viewerFound", (SELECT count(*) FROM changed)::int AS changed,
           ${articleColumnsSql(true, 'coalesce((SELECT favorites_count FROM counted), a.favorites_count)')}
         FROM (SELECT 1) AS one
         LEFT JOIN (articles a JOIN users u ON u.id = a.author_id) ON a.id = (SELECT id FROM target)`,
        [viewerId, slug],
      );
    } catch (err: unknown) {
      const violated = foreignKeyViolation(err);
      if (violated === 'favorites_article_id_fkey') return 'article-missing';
      if (violated === 'favorites_user_id_fkey') return 'viewer-gone';
      throw err;
    }
    const [row] = rows;
    if (row.viewerFound === 0) return 'viewer-gone';
    if (row.id == null) return 'article-missing';
    return { row: toArticleRow(row as ArticleColumns & { body: string }), changed: row.changed > 0 };
  }
}
