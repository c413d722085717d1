import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The number of articles, kept by triggers. The unfiltered list (the front page, the most read
 * query) needs the total on every page, and counting 10,000 rows was half of that query's cost.
 * Statement-level triggers, so a bulk insert (the seed) updates the row once.
 */
export class ArticleTotals1764000000001 implements MigrationInterface {
  name = 'ArticleTotals1764000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE article_totals (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        total     integer NOT NULL CHECK (total >= 0)
      )`);
    await q.query(`INSERT INTO article_totals (total) SELECT count(*) FROM articles`);
    await q.query(`
      CREATE FUNCTION article_totals_add() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE article_totals SET total = total + (SELECT count(*) FROM inserted);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION article_totals_remove() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE article_totals SET total = total - (SELECT count(*) FROM deleted);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION article_totals_reset() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE article_totals SET total = 0;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER article_totals_on_insert AFTER INSERT ON articles
      REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION article_totals_add()`);
    // Also fires for deletes cascaded from users.
    await q.query(`
      CREATE TRIGGER article_totals_on_delete AFTER DELETE ON articles
      REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION article_totals_remove()`);
    await q.query(`
      CREATE TRIGGER article_totals_on_truncate AFTER TRUNCATE ON articles
      FOR EACH STATEMENT EXECUTE FUNCTION article_totals_reset()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER IF EXISTS article_totals_on_truncate ON articles');
    await q.query('DROP TRIGGER IF EXISTS article_totals_on_delete ON articles');
    await q.query('DROP TRIGGER IF EXISTS article_totals_on_insert ON articles');
    await q.query('DROP FUNCTION IF EXISTS article_totals_reset()');
    await q.query('DROP FUNCTION IF EXISTS article_totals_remove()');
    await q.query('DROP FUNCTION IF EXISTS article_totals_add()');
    await q.query('DROP TABLE IF EXISTS article_totals');
  }
}
