import { CommentEntity, DatabaseService, foreignKeyViolation } from '@app/database';
import { Injectable } from '@nestjs/common';
import { AUTHOR_COLUMNS, authorOf, type AuthorColumns } from '../author-columns';
import type { CommentRow } from './comment.mapper';

const COMMENT_COLUMNS = `c.id, c.body, c.created_at AS "createdAt", c.updated_at AS "updatedAt", ${AUTHOR_COLUMNS}`;

type CommentColumns = Omit<CommentRow, 'author'> & AuthorColumns;

function toCommentRow(c: CommentColumns): CommentRow {
  return { id: c.id, body: c.body, createdAt: c.createdAt, updatedAt: c.updatedAt, author: authorOf(c) };
}

@Injectable()
export class CommentRepository {
  constructor(private readonly db: DatabaseService) {}

  /** Comments of an article, oldest first (comments_article_idx). */
  async findByArticle(articleId: number): Promise<CommentRow[]> {
    const rows = await this.db.read<CommentColumns>(
      `SELECT ${COMMENT_COLUMNS}
       FROM comments c JOIN users u ON u.id = c.author_id
       WHERE c.article_id = $1 ORDER BY c.created_at, c.id`,
      [articleId],
    );
    return rows.map(toCommentRow);
  }

  /**
   * Inserts the comment and reads it back with its author, in one transaction: the insert's foreign
   * key check holds the article (KEY SHARE) until commit, so a concurrent DELETE cannot cascade the
   * comment away before it is read. Null when the article was deleted since it was looked up.
   */
  async insert(articleId: number, authorId: number, body: string): Promise<CommentRow | null> {
    try {
      const rows = await this.db.transaction(async (sql, tx) => {
        const { identifiers } = await tx.insert(CommentEntity, { articleId, authorId, body });
        return sql.query<CommentColumns>(
          `SELECT ${COMMENT_COLUMNS} FROM comments c JOIN users u ON u.id = c.author_id WHERE c.id = $1`,
          [(identifiers[0] as { id: number }).id],
        );
      });
      return toCommentRow(rows[0]);
    } catch (err: unknown) {
      if (foreignKeyViolation(err) === 'comments_article_id_fkey') return null;
      throw err;
    }
  }

  async findAuthor(articleId: number, commentId: number): Promise<number | null> {
    const rows = await this.db.read<{ author_id: number }>(
      'SELECT author_id FROM comments WHERE id = $1 AND article_id = $2',
      [commentId, articleId],
    );
    return rows[0]?.author_id ?? null;
  }

  async delete(commentId: number): Promise<void> {
    await this.db.withManager((manager) => manager.delete(CommentEntity, { id: commentId }));
  }

  /** The articles showing the user: those they wrote, and those they commented on (`authored` false). */
  async articlesShowingUser(userId: number): Promise<{ id: number; slug: string; authored: boolean }[]> {
    return this.db.read(
      `SELECT id, slug, true AS authored FROM articles WHERE author_id = $1
       UNION
       SELECT a.id, a.slug, false FROM comments c JOIN articles a ON a.id = c.article_id WHERE c.author_id = $1`,
      [userId],
    );
  }
}
