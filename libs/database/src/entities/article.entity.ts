import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  type Relation,
} from 'typeorm';
import { UserEntity } from './user.entity';

/**
 * An article. TypeORM compares an index's columns as a set and has no per-column order, so the
 * `DESC` of the two list indexes lives in the migration only: a new index generated from here
 * would be ascending — write its order into the migration by hand.
 */
@Entity({ name: 'articles' })
@Check('articles_favorites_count_check', '"favorites_count" >= 0')
@Index('articles_slug_uq', ['slug'], { unique: true })
// the unfiltered list: (created_at DESC, id DESC)
@Index('articles_created_idx', ['createdAt', 'id'])
// the author filter and the feed: (author_id, created_at DESC, id DESC)
@Index('articles_author_created_idx', ['authorId', 'createdAt', 'id'])
export class ArticleEntity {
  @PrimaryGeneratedColumn('identity', {
    name: 'id',
    generatedIdentity: 'ALWAYS',
    primaryKeyConstraintName: 'articles_pkey',
  })
  id!: number;

  @Column({ name: 'slug', type: 'varchar', length: 320 })
  slug!: string;

  @Column({ name: 'title', type: 'varchar', length: 255 })
  title!: string;

  @Column({ name: 'description', type: 'varchar', length: 1024 })
  description!: string;

  @Column({ name: 'body', type: 'text' })
  body!: string;

  @Column({ name: 'author_id', type: 'integer' })
  authorId!: number;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'author_id', foreignKeyConstraintName: 'articles_author_id_fkey' })
  author?: Relation<UserEntity>;

  @Column({ name: 'favorites_count', type: 'integer', default: 0 })
  favoritesCount!: number;

  /**
   * The article's tag names, sorted: kept by a trigger on article_tags (the source of truth),
   * so the app never writes it (insert/update off).
   */
  @Column({ name: 'tag_list', type: 'text', array: true, default: () => "'{}'", insert: false, update: false })
  tagList!: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  // TypeORM sets it to CURRENT_TIMESTAMP on every update it issues.
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
