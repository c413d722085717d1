import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { ArticleEntity } from './article.entity';
import { TagEntity } from './tag.entity';

/**
 * Which tags an article carries: the source of truth for `articles.tag_list`, which triggers on
 * this table keep (migrations/1764000000002-article-tag-list.ts; TypeORM does not model triggers).
 */
@Entity({ name: 'article_tags' })
// the tag filter: articles carrying a tag
@Index('article_tags_tag_idx', ['tagId', 'articleId'])
export class ArticleTagEntity {
  @PrimaryColumn({ name: 'article_id', type: 'integer', primaryKeyConstraintName: 'article_tags_pkey' })
  articleId!: number;

  @PrimaryColumn({ name: 'tag_id', type: 'integer', primaryKeyConstraintName: 'article_tags_pkey' })
  tagId!: number;

  @ManyToOne(() => ArticleEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'article_id', foreignKeyConstraintName: 'article_tags_article_id_fkey' })
  article?: Relation<ArticleEntity>;

  @ManyToOne(() => TagEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tag_id', foreignKeyConstraintName: 'article_tags_tag_id_fkey' })
  tag?: Relation<TagEntity>;
}
