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
   * Publishes an article through the repository under test, in its own transaction as the service does.
   * `at` pins created_at (and updated_at), so list order does not depend on how fast the test runs.
   */
  async article(authorId: number, slug: string, options: { tags?: string[]; at?: string } = {}): Promise<number> {
    return this.db.transaction(async (_sql, tx) => {
      const id = await this.articles.insert(tx, authorId, slug, ArticleText.of(slug));
      if (id === null) throw new Error(`fixture slug "${slug}" is taken`);
      await this.articles.replaceTags(tx, id, options.tags ?? []);
      if (options.at !== undefined) {
        await tx.query('UPDATE articles SET created_at = $2, updated_at = $2 WHERE id = $1', [id, options.at]);
      }
      return id;
    });
  }
}

/** The text fields of a fixture article, derived from its slug so expectations can name them. */
export const ArticleText = {
  of: (slug: string) => ({ title: `Title ${slug}`, description: `About ${slug}`, body: `Body of ${slug}` }),
};
