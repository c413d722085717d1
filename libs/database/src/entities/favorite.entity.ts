import { CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { ArticleEntity } from './article.entity';
import { UserEntity } from './user.entity';

/** `userId` favorited `articleId` (the article's `favoritesCount` is updated with it). */
@Entity({ name: 'favorites' })
// The primary key serves the favorited filter and a viewer's favorited set; this one serves cascades.
@Index('favorites_article_idx', ['articleId'])
export class FavoriteEntity {
  @PrimaryColumn({ name: 'user_id', type: 'integer', primaryKeyConstraintName: 'favorites_pkey' })
  userId!: number;

  @PrimaryColumn({ name: 'article_id', type: 'integer', primaryKeyConstraintName: 'favorites_pkey' })
  articleId!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'favorites_user_id_fkey' })
  user?: Relation<UserEntity>;

  @ManyToOne(() => ArticleEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'article_id', foreignKeyConstraintName: 'favorites_article_id_fkey' })
  article?: Relation<ArticleEntity>;
}
