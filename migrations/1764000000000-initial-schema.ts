import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The RealWorld schema. Every index names the query it serves; foreign keys cascade so deleting a
 * user or an article never leaves orphans behind.
 */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id            integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        email         varchar(254) NOT NULL,
        username      varchar(64)  NOT NULL,
        password_hash text         NOT NULL,
        bio           text,
        image         varchar(2048),
        created_at    timestamptz  NOT NULL DEFAULT now(),
        updated_at    timestamptz  NOT NULL DEFAULT now()
      )`);
    // login and the uniqueness check: email is unique case-insensitively
    await q.query(`CREATE UNIQUE INDEX users_email_lower_uq ON users (lower(email))`);
    // profiles, author filter, register uniqueness
    await q.query(`CREATE UNIQUE INDEX users_username_uq ON users (username)`);

    await q.query(`
      CREATE TABLE follows (
        follower_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        followee_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (follower_id, followee_id),
        CONSTRAINT follows_not_self CHECK (follower_id <> followee_id)
      )`);
    // the PK serves the feed ("whom do I follow"); this one serves cascades and "who follows X"
    await q.query(`CREATE INDEX follows_followee_idx ON follows (followee_id)`);

    await q.query(`
      CREATE TABLE articles (
        id              integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        slug            varchar(320) NOT NULL,
        title           varchar(255) NOT NULL,
        description     varchar(1024) NOT NULL,
        body            text NOT NULL,
        author_id       integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        favorites_count integer NOT NULL DEFAULT 0 CHECK (favorites_count >= 0),
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now()
      )`);
    // get/update/delete by slug
    await q.query(`CREATE UNIQUE INDEX articles_slug_uq ON articles (slug)`);
    // the unfiltered list: newest first, stable order for pagination
    await q.query(`CREATE INDEX articles_created_idx ON articles (created_at DESC, id DESC)`);
    // the author filter and the feed (articles of followed authors, newest first)
    await q.query(`CREATE INDEX articles_author_created_idx ON articles (author_id, created_at DESC, id DESC)`);

    await q.query(`
      CREATE TABLE tags (
        id   integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        name varchar(64) NOT NULL
      )`);
    // tag lookup by name (filter, upsert on article create)
    await q.query(`CREATE UNIQUE INDEX tags_name_uq ON tags (name)`);

    await q.query(`
      CREATE TABLE article_tags (
        article_id integer NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        tag_id     integer NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
        PRIMARY KEY (article_id, tag_id)
      )`);
    // the tag filter: articles carrying a tag
    await q.query(`CREATE INDEX article_tags_tag_idx ON article_tags (tag_id, article_id)`);

    await q.query(`
      CREATE TABLE favorites (
        user_id    integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        article_id integer NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, article_id)
      )`);
    // the PK serves the favorited filter and a viewer's favorited set; this one serves cascades
    await q.query(`CREATE INDEX favorites_article_idx ON favorites (article_id)`);

    await q.query(`
      CREATE TABLE comments (
        id         integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        body       text NOT NULL,
        article_id integer NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        author_id  integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // comments of an article, oldest first
    await q.query(`CREATE INDEX comments_article_idx ON comments (article_id, created_at, id)`);
    // cascades when a user is deleted
    await q.query(`CREATE INDEX comments_author_idx ON comments (author_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['comments', 'favorites', 'article_tags', 'tags', 'articles', 'follows', 'users']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
