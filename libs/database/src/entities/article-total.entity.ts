import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The number of articles, one row kept by statement triggers on `articles`
 * (migrations/1764000000001-article-totals.ts; TypeORM does not model triggers): read it, never write it.
 */
@Entity({ name: 'article_totals' })
@Check('article_totals_singleton_check', '"singleton"')
@Check('article_totals_total_check', '"total" >= 0')
export class ArticleTotalEntity {
  @PrimaryColumn({ name: 'singleton', type: 'boolean', default: true, primaryKeyConstraintName: 'article_totals_pkey' })
  singleton!: boolean;

  @Column({ name: 'total', type: 'integer' })
  total!: number;
}
