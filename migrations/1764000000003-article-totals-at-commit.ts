import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The article total is counted at commit, not when the row is written. The statement-level triggers
 * updated the one `article_totals` row inside the INSERT, so every create held that row's lock for the
 * rest of its transaction (tags, the read back, the round trips between): concurrent creates queued
 * behind each other while holding pool connections (measured under the bench's mixed load: INSERT
 * 216 ms on average, up to 1 s). Deferred constraint triggers run as the transaction commits, so the
 * lock is held for the commit alone. Row-level (constraint triggers cannot be statement-level): a bulk
 * insert updates the row once per article, at its commit.
 */
export class ArticleTotalsAtCommit1764000000003 implements MigrationInterface {
  name = 'ArticleTotalsAtCommit1764000000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER article_totals_on_insert ON articles');
    await q.query('DROP TRIGGER article_totals_on_delete ON articles');
    await q.query(`
      CREATE FUNCTION article_totals_count() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE article_totals SET total = total + (CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE CONSTRAINT TRIGGER article_totals_on_insert AFTER INSERT ON articles
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION article_totals_count()`);
    await q.query(`
      CREATE CONSTRAINT TRIGGER article_totals_on_delete AFTER DELETE ON articles
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION article_totals_count()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER article_totals_on_insert ON articles');
    await q.query('DROP TRIGGER article_totals_on_delete ON articles');
    await q.query('DROP FUNCTION article_totals_count()');
    await q.query(`
      CREATE TRIGGER article_totals_on_insert AFTER INSERT ON articles
      REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION article_totals_add()`);
    await q.query(`
      CREATE TRIGGER article_totals_on_delete AFTER DELETE ON articles
      REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION article_totals_remove()`);
  }
}
