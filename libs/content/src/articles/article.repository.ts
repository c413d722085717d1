import { DatabaseService, uniqueViolation, type SqlExecutor } from '@app/database';
import { Injectable } from '@nestjs/common';
import {
  articleColumnsSql,
  filterSql,
  toArticleListRow,
  toArticleRow,
  type ArticleColumns,
  type ArticleFilter,
} from './article-sql';
import type { ArticleListRow, ArticleRow } from './article.mapper';

export interface ArticlePage {
  count: number;
  rows: ArticleListRow[];
}

export interface ArticleRef {
  id: number;
  slug: string;
  authorId: number;
}

export interface ArticleFields {
  title: string;
  description: string;
  body: string;
}

/** SQL for articles, tags and favorites, returning typed rows (see article.mapper.ts for the documents). */
@Injectable()
export class ArticleRepository {
  constructor(private readonly db: DatabaseService) {}

  /**
   * One round trip whatever the page size: the count and the page's rows together. The page's ids
   * are found first (an index scan on articles_created_idx, no heap rows for skipped offsets), then
   * only those 20 rows are read.
   */
  async findPage(filter: ArticleFilter, limit: number, offset: number): Promise<ArticlePage> {
    const params: unknown[] = [];
    const where = filterSql(filter, params);
    // Unfiltered, the total is kept by triggers (article_totals); filtered, it is counted.
    const countSql = where === '' ? 'SELECT total FROM article_totals' : `SELECT count(*) FROM articles a ${where}`;
    const rows = await this.db.query<{ count: number; id: number | null } & ArticleColumns>(
      `WITH page AS (
         SELECT a.id FROM articles a ${where}
         ORDER BY a.created_at DESC, a.id DESC
         LIMIT $${params.length + 1} OFFSET $${params.length + 2}
       )
       SELECT (${countSql})::int AS count, ${articleColumnsSql(false)}
       FROM (SELECT 1) AS one
       LEFT JOIN page p ON true
       LEFT JOIN articles a ON a.id = p.id
       LEFT JOIN users u ON u.id = a.author_id
       ORDER BY a.created_at DESC, a.id DESC`,
      [...params, limit, offset],
    );
    // An empty page is one row of nulls (the LEFT JOIN keeps the count).
    const found = rows.filter((r) => r.id !== null).map(toArticleListRow);
    return { count: rows[0]?.count ?? 0, rows: found };
  }

  async findBySlugWithAuthor(slug: string): Promise<ArticleRow | null> {
    return this.findOne(this.db, 'a.slug = $1', slug);
  }

  async findRefBySlug(slug: string): Promise<ArticleRef | null> {
    const rows = await this.db.query<ArticleRef>(
      'SELECT id, slug, author_id AS "authorId" FROM articles WHERE slug = $1',
      [slug],
    );
    return rows[0] ?? null;
  }

  /** Inserts the article under `slug`; null when the slug is taken (caller picks another). */
  async insert(tx: SqlExecutor, authorId: number, slug: string, fields: ArticleFields): Promise<number | null> {
    const rows = await tx.query<{ id: number }>(
      `INSERT INTO articles (slug, title, description, body, author_id)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (slug) DO NOTHING
       RETURNING id`,
      [slug, fields.title, fields.description, fields.body, authorId],
    );
    return rows[0]?.id ?? null;
  }

  /**
   * Applies the given fields; false when the new slug is taken. A savepoint makes "taken" safe under
   * concurrency too: if another transaction claims the slug first, the unique index refuses this
   * UPDATE, and rolling back to the savepoint keeps the surrounding transaction usable.
   */
  async update(tx: SqlExecutor, id: number, slug: string, fields: Partial<ArticleFields>): Promise<boolean> {
    const taken = await tx.query('SELECT 1 FROM articles WHERE slug = $1 AND id <> $2', [slug, id]);
    if (taken.length > 0) return false;
    await tx.query('SAVEPOINT article_slug');
    try {
      await tx.query(
        `UPDATE articles SET
           slug = $2,
           title = coalesce($3, title),
           description = coalesce($4, description),
           body = coalesce($5, body),
           updated_at = now()
         WHERE id = $1`,
        [id, slug, fields.title ?? null, fields.description ?? null, fields.body ?? null],
      );
    } catch (err: unknown) {
      if (uniqueViolation(err) !== 'articles_slug_uq') throw err;
      await tx.query('ROLLBACK TO SAVEPOINT article_slug');
      return false;
    }
    await tx.query('RELEASE SAVEPOINT article_slug');
    return true;
  }

  async replaceTags(tx: SqlExecutor, articleId: number, tags: string[]): Promise<void> {
    await tx.query('DELETE FROM article_tags WHERE article_id = $1', [articleId]);
    if (tags.length === 0) return;
    await tx.query('INSERT INTO tags (name) SELECT unnest($1::text[]) ON CONFLICT (name) DO NOTHING', [tags]);
    await tx.query(
      'INSERT INTO article_tags (article_id, tag_id) SELECT $1, id FROM tags WHERE name = ANY($2::text[])',
      [articleId, tags],
    );
  }

  async findByIdWithAuthor(tx: SqlExecutor, id: number): Promise<ArticleRow> {
    const row = await this.findOne(tx, 'a.id = $1', id);
    if (row === null) throw new Error(`article ${id} vanished inside its own transaction`);
    return row;
  }

  async delete(id: number): Promise<void> {
    await this.db.query('DELETE FROM articles WHERE id = $1', [id]);
  }

  /** Adds the favorite and bumps the count in one statement (atomic); a repeat changes nothing. */
  async favorite(userId: number, articleId: number): Promise<void> {
    await this.db.query(
      `WITH added AS (
         INSERT INTO favorites (user_id, article_id) VALUES ($1, $2)
         ON CONFLICT DO NOTHING RETURNING article_id
       )
       UPDATE articles SET favorites_count = favorites_count + 1 WHERE id IN (SELECT article_id FROM added)`,
      [userId, articleId],
    );
  }

  async unfavorite(userId: number, articleId: number): Promise<void> {
    await this.db.query(
      `WITH removed AS (
         DELETE FROM favorites WHERE user_id = $1 AND article_id = $2 RETURNING article_id
       )
       UPDATE articles SET favorites_count = favorites_count - 1 WHERE id IN (SELECT article_id FROM removed)`,
      [userId, articleId],
    );
  }

  /** The viewer's favorited article ids: their own small set, overlaid on cached views. */
  async favoriteIds(userId: number): Promise<number[]> {
    const rows = await this.db.query<{ ids: number[] }>(
      'SELECT coalesce(array_agg(article_id), ARRAY[]::int[]) AS ids FROM favorites WHERE user_id = $1',
      [userId],
    );
    return rows[0].ids;
  }

  /** Tags carried by at least one article (a tag whose last article was deleted is not listed). */
  async usedTags(): Promise<string[]> {
    const rows = await this.db.query<{ tags: string[] }>(
      `SELECT coalesce(array_agg(t.name ORDER BY t.name), ARRAY[]::text[]) AS tags
       FROM tags t WHERE EXISTS (SELECT 1 FROM article_tags at WHERE at.tag_id = t.id)`,
    );
    return rows[0].tags;
  }

  private async findOne(sql: SqlExecutor, where: string, value: unknown): Promise<ArticleRow | null> {
    const rows = await sql.query<ArticleColumns & { body: string }>(
      `SELECT ${articleColumnsSql(true)} FROM articles a JOIN users u ON u.id = a.author_id WHERE ${where}`,
      [value],
    );
    return rows[0] ? toArticleRow(rows[0]) : null;
  }
}
