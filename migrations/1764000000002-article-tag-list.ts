import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each article's tag names, sorted, kept on the article by a trigger on article_tags. Every list
 * page shows `tagList` for 20+ articles; reading one column beats 20 joins and aggregations per
 * page. article_tags stays the source of truth (and serves the tag filter).
 */
export class ArticleTagList1764000000002 implements MigrationInterface {
  name = 'ArticleTagList1764000000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE articles ADD COLUMN tag_list text[] NOT NULL DEFAULT '{}'`);
    await q.query(`
      CREATE FUNCTION articles_refresh_tag_list(ids integer[]) RETURNS void LANGUAGE sql AS $$
        UPDATE articles a SET tag_list = coalesce(
          (SELECT array_agg(t.name ORDER BY t.name) FROM article_tags at JOIN tags t ON t.id = at.tag_id
            WHERE at.article_id = a.id),
          '{}')
        WHERE a.id = ANY(ids)
      $$`);
    await q.query(`
      CREATE FUNCTION article_tags_added() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM articles_refresh_tag_list(ARRAY(SELECT DISTINCT article_id FROM added));
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION article_tags_removed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM articles_refresh_tag_list(ARRAY(SELECT DISTINCT article_id FROM removed));
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER article_tags_on_insert AFTER INSERT ON article_tags
      REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION article_tags_added()`);
    await q.query(`
      CREATE TRIGGER article_tags_on_delete AFTER DELETE ON article_tags
      REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION article_tags_removed()`);
    await q.query(`SELECT articles_refresh_tag_list(ARRAY(SELECT DISTINCT article_id FROM article_tags))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER IF EXISTS article_tags_on_delete ON article_tags');
    await q.query('DROP TRIGGER IF EXISTS article_tags_on_insert ON article_tags');
    await q.query('DROP FUNCTION IF EXISTS article_tags_removed()');
    await q.query('DROP FUNCTION IF EXISTS article_tags_added()');
    await q.query('DROP FUNCTION IF EXISTS articles_refresh_tag_list(integer[])');
    await q.query('ALTER TABLE articles DROP COLUMN IF EXISTS tag_list');
  }
}
