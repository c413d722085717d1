import {
  ArticleEntity,
  ArticleTagEntity,
  DatabaseService,
  TagEntity,
  uniqueViolation,
  type SqlExecutor,
} from '@app/database';
import { In, Not, type EntityManager } from 'typeorm';
import { Injectable } from '@nestjs/common';
import {
  articleColumnsSql,
  pageSql,
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

/** A list page as the cache keeps it: which articles, in order (each rendered from its own cached item). */
export interface ArticleIdPage {
  count: number;
  ids: number[];
}

export interface ArticleRef {
  id: number;
  slug: string;
  authorId: number;
}

/** The writer's row is gone (a token outliving its user), found by the write's own statement. */
export type ViewerGone = 'viewer-gone';

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
   * are found first (an index-only scan on articles_created_idx: no heap rows for skipped offsets),
   * then only those rows are read. `= ANY(ARRAY(…))` rather than a join on the ids: the statement is
   * prepared, and its generic plan cannot know LIMIT, so a join was planned as a hash join over every
   * article (9 ms per page instead of 0.6 ms; measured with plan_cache_mode = force_generic_plan).
   */
  async findPage(filter: ArticleFilter, limit: number, offset: number): Promise<ArticlePage> {
    const page = pageSql(filter, limit, offset);
    const rows = await this.db.read<{ count: number; id: number | null } & ArticleColumns>(
      `WITH page AS (${page.ids})
       SELECT (${page.count})::int AS count, ${articleColumnsSql(false)}
       FROM (SELECT 1) AS one
       LEFT JOIN (articles a JOIN users u ON u.id = a.author_id) ON a.id = ANY (ARRAY(SELECT id FROM page))
       ORDER BY a.created_at DESC, a.id DESC`,
      page.params,
    );
    // An empty page is one row of nulls (the LEFT JOIN keeps the count).
    const found = rows.filter((r) => r.id !== null).map(toArticleListRow);
    return { count: rows[0]?.count ?? 0, rows: found };
  }

  /** A page's ids in order and the count; the rows come from `findListRows`, mostly from the cache. */
  async findPageIds(filter: ArticleFilter, limit: number, offset: number): Promise<ArticleIdPage> {
    const page = pageSql(filter, limit, offset);
    const rows = await this.db.read<{ count: number; ids: number[] }>(
      `SELECT (${page.count})::int AS count, ARRAY(${page.ids}) AS ids`,
      page.params,
    );
    return { count: rows[0].count, ids: rows[0].ids };
  }

  /** The list rows of these articles, in any order; deleted ones are missing. */
  async findListRows(ids: readonly number[]): Promise<ArticleListRow[]> {
    const rows = await this.db.read<ArticleColumns>(
      `SELECT ${articleColumnsSql(false)} FROM articles a JOIN users u ON u.id = a.author_id WHERE a.id = ANY ($1)`,
      [ids],
    );
    return rows.map(toArticleListRow);
  }

  async findBySlugWithAuthor(slug: string): Promise<ArticleRow | null> {
    return this.findOne(this.db.reader, 'a.slug = $1', slug);
  }

  async findRefBySlug(slug: string): Promise<ArticleRef | null> {
    const rows = await this.db.read<ArticleRef>(
      'SELECT id, slug, author_id AS "authorId" FROM articles WHERE slug = $1',
      [slug],
    );
    return rows[0] ?? null;
  }

  /**
   * Publishes an article with its tags in one statement (one round trip, its own transaction): the
   * tags it names are created if new, linked, and the row is read back with its author. Answers why
   * there is no row instead: the slug is taken (the caller picks another), or the author's row is gone
   * (a token outliving its user; checked here rather than by a query before every create).
   *
   * A tag another create adds concurrently is not in this statement's snapshot and not inserted by it
   * either (ON CONFLICT); `DO UPDATE` on that conflict returns its row, so the link is never lost.
   * tag_list is written sorted by PostgreSQL as the tag triggers keep it (their collation, not JS's).
   */
  async insert(
    authorId: number,
    slug: string,
    fields: ArticleFields,
    tags: string[],
  ): Promise<ArticleRow | 'slug-taken' | ViewerGone> {
    const rows = await this.db.write<{ authorFound: number } & Partial<ArticleColumns & { body: string }>>(
      `WITH u AS (SELECT id, username, bio, image FROM users WHERE id = $1),
       known_tags AS (SELECT id, name FROM tags WHERE name = ANY ($6::text[])),
       new_tags AS (
         INSERT INTO tags (name) SELECT n FROM unnest($6::text[]) AS n WHERE n NOT IN (SELECT name FROM known_tags)
         ON CONFLICT (name) DO UPDATE SET name = excluded.name
         RETURNING id),
       a AS (
         INSERT INTO articles (slug, title, description, body, author_id, tag_list)
         SELECT $2, $3, $4, $5, u.id, ARRAY(SELECT n FROM unnest($6::text[]) AS n ORDER BY n) FROM u
         ON CONFLICT DO NOTHING -- only the slug index can conflict
         RETURNING *),
       linked AS (
         INSERT INTO article_tags (article_id, tag_id)
         SELECT a.id, t.id FROM a, (SELECT id FROM known_tags UNION ALL SELECT id FROM new_tags) AS t)
       SELECT (SELECT count(*) FROM u)::int AS "authorFound", ${articleColumnsSql(true)}
       FROM (SELECT 1) AS one LEFT JOIN (a JOIN u ON u.id = a.author_id) ON true`,
      [authorId, slug, fields.title, fields.description, fields.body, tags],
    );
    const [row] = rows;
    if (row.authorFound === 0) return 'viewer-gone';
    return row.id == null ? 'slug-taken' : toArticleRow(row as ArticleColumns & { body: string });
  }

  /**
   * Applies the given fields (TypeORM bumps `updatedAt`); false when the new slug is taken. A
   * savepoint makes "taken" safe under concurrency too: if another transaction claims the slug
   * first, the unique index refuses this UPDATE, and rolling back to the savepoint keeps the
   * surrounding transaction usable.
   */
  async update(tx: EntityManager, id: number, slug: string, fields: Partial<ArticleFields>): Promise<boolean> {
    if (await tx.exists(ArticleEntity, { where: { slug, id: Not(id) } })) return false;
    const { title, description, body } = fields;
    await tx.query('SAVEPOINT article_slug');
    try {
      await tx.update(ArticleEntity, { id }, { slug, title, description, body });
    } catch (err: unknown) {
      if (uniqueViolation(err) !== 'articles_slug_uq') throw err;
      await tx.query('ROLLBACK TO SAVEPOINT article_slug');
      return false;
    }
    await tx.query('RELEASE SAVEPOINT article_slug');
    return true;
  }

  /** The article carries exactly `tags` afterwards (new names are created; a trigger refreshes tag_list). */
  async replaceTags(tx: EntityManager, articleId: number, tags: string[]): Promise<void> {
    await tx.delete(ArticleTagEntity, { articleId });
    if (tags.length === 0) return;
    await tx
      .createQueryBuilder()
      .insert()
      .into(TagEntity)
      .values(tags.map((name) => ({ name })))
      .orIgnore()
      .updateEntity(false)
      .execute();
    const found = await tx.find(TagEntity, { select: { id: true }, where: { name: In(tags) } });
    await tx.insert(
      ArticleTagEntity,
      found.map((tag) => ({ articleId, tagId: tag.id })),
    );
  }

  /**
   * Locks the article row until the transaction ends, so a concurrent DELETE waits for this edit
   * (or, if it committed first, the edit sees the row gone); false when it is gone. FOR NO KEY
   * UPDATE: favorites and comments being added (FK checks take KEY SHARE) are not blocked.
   */
  async lockForEdit(tx: EntityManager, id: number): Promise<boolean> {
    const row = await tx.findOne(ArticleEntity, {
      select: { id: true },
      where: { id },
      lock: { mode: 'for_no_key_update' },
    });
    return row !== null;
  }

  async findByIdWithAuthor(tx: SqlExecutor, id: number): Promise<ArticleRow> {
    const row = await this.findOne(tx, 'a.id = $1', id);
    if (row === null) throw new Error(`article ${id} vanished inside its own transaction`);
    return row;
  }

  async delete(id: number): Promise<void> {
    await this.db.withManager((manager) => manager.delete(ArticleEntity, { id }));
  }

  /** Tags carried by at least one article (a tag whose last article was deleted is not listed). */
  async usedTags(): Promise<string[]> {
    const rows = await this.db.read<{ tags: string[] }>(
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
