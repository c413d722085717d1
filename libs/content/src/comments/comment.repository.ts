import { DatabaseService } from '@app/database';
import { Injectable } from '@nestjs/common';
import { authorJson, isoTimestamp, openTemplate, type ViewTemplate } from '../view-template';

const COMMENT_TEMPLATE = openTemplate(`json_build_object(
  'id', c.id,
  'createdAt', ${isoTimestamp('c.created_at')},
  'updatedAt', ${isoTimestamp('c.updated_at')},
  'body', c.body,
  'author', ${authorJson('u')})`);

type TemplateRow = { id: number; author_id: number; head: string };
const toTemplate = (r: TemplateRow): ViewTemplate => ({ id: r.id, authorId: r.author_id, head: r.head });

@Injectable()
export class CommentRepository {
  constructor(private readonly db: DatabaseService) {}

  /** Comments of an article, oldest first (comments_article_idx). */
  async findByArticle(articleId: number): Promise<ViewTemplate[]> {
    const rows = await this.db.query<TemplateRow>(
      `SELECT c.id, c.author_id, ${COMMENT_TEMPLATE} AS head
       FROM comments c JOIN users u ON u.id = c.author_id
       WHERE c.article_id = $1 ORDER BY c.created_at, c.id`,
      [articleId],
    );
    return rows.map(toTemplate);
  }

  async insert(articleId: number, authorId: number, body: string): Promise<ViewTemplate> {
    const rows = await this.db.query<TemplateRow>(
      `WITH c AS (
         INSERT INTO comments (article_id, author_id, body) VALUES ($1, $2, $3) RETURNING *
       )
       SELECT c.id, c.author_id, ${COMMENT_TEMPLATE} AS head FROM c JOIN users u ON u.id = c.author_id`,
      [articleId, authorId, body],
    );
    return toTemplate(rows[0]);
  }

  async findAuthor(articleId: number, commentId: number): Promise<number | null> {
    const rows = await this.db.query<{ author_id: number }>(
      'SELECT author_id FROM comments WHERE id = $1 AND article_id = $2',
      [commentId, articleId],
    );
    return rows[0]?.author_id ?? null;
  }

  async delete(commentId: number): Promise<void> {
    await this.db.query('DELETE FROM comments WHERE id = $1', [commentId]);
  }

  /** Slugs whose cached article or comments show this user as an author (for profile changes). */
  async slugsShowingUser(userId: number): Promise<string[]> {
    const rows = await this.db.query<{ slug: string }>(
      `SELECT slug FROM articles WHERE author_id = $1
       UNION
       SELECT a.slug FROM comments c JOIN articles a ON a.id = c.article_id WHERE c.author_id = $1`,
      [userId],
    );
    return rows.map((r) => r.slug);
  }
}
