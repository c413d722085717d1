import type { DatabaseService } from '@app/database';
import type { ArticleRepository } from '../src/articles/article.repository';

/** Rows the content medium specs build on, written with plain SQL so a spec depends on its own repository only. */
export class ContentFixtures {
  constructor(
    private readonly db: DatabaseService,
    private readonly articles: ArticleRepository,
  ) {}

  /** Empties every content table and restarts ids at 1 (article_totals goes back to 0 by its truncate trigger). */
  async reset(): Promise<void> {
    await this.db.query('TRUNCATE users, tags RESTART IDENTITY CASCADE');
  }

  async user(username: string, profile: { bio?: string; image?: string } = {}): Promise<number> {
    const [row] = await this.db.query<{ id: number }>(
      'INSERT INTO users (email, username, password_hash, bio, image) VALUES ($1, $2, $3, $4, $5) RETURNING id',
      [`${username}@example.com`, username, 'hash', profile.bio ?? null, profile.image ?? null],
    );
    return row.id;
  }

  async follow(followerId: number, followeeId: number): Promise<void> {
    await this.db.query('INSERT INTO follows (follower_id, followee_id) VALUES ($1, $2)', [followerId, followeeId]);
  }

  /**
   * Publishes an article through the repository under test, as the service does. `at` pins created_at
   * (and updated_at), so list order does not depend on how fast the test runs.
   */
  async article(authorId: number, slug: string, options: { tags?: string[]; at?: string } = {}): Promise<number> {
    const row = await this.articles.insert(authorId, slug, ArticleText.of(slug), options.tags ?? []);
    if (typeof row === 'string') throw new Error(`fixture article "${slug}" refused: ${row}`);
    if (options.at !== undefined) {
      await this.db.query('UPDATE articles SET created_at = $2, updated_at = $2 WHERE id = $1', [row.id, options.at]);
    }
    return row.id;
  }

  /** A favorite written with plain SQL (the count as the favorite statement keeps it). */
  async favorite(userId: number, articleId: number): Promise<void> {
    await this.db.query(
      `WITH added AS (INSERT INTO favorites (user_id, article_id) VALUES ($1, $2) RETURNING article_id)
       UPDATE articles SET favorites_count = favorites_count + 1 WHERE id IN (SELECT article_id FROM added)`,
      [userId, articleId],
    );
  }
}

/** The text fields of a fixture article, derived from its slug so expectations can name them. */
export const ArticleText = {
  of: (slug: string) => ({ title: `Title ${slug}`, description: `About ${slug}`, body: `Body of ${slug}` }),
};
