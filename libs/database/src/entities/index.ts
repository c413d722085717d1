import { ArticleTagEntity } from './article-tag.entity';
import { ArticleTotalEntity } from './article-total.entity';
import { ArticleEntity } from './article.entity';
import { CommentEntity } from './comment.entity';
import { FavoriteEntity } from './favorite.entity';
import { FollowEntity } from './follow.entity';
import { TagEntity } from './tag.entity';
import { UserEntity } from './user.entity';

export {
  ArticleEntity,
  ArticleTagEntity,
  ArticleTotalEntity,
  CommentEntity,
  FavoriteEntity,
  FollowEntity,
  TagEntity,
  UserEntity,
};

/**
 * The typed schema, registered on the data source (app and CLI alike). It must equal what the
 * migrations build: `npm run schema:check` proves it.
 */
export const ENTITIES = [
  UserEntity,
  FollowEntity,
  ArticleEntity,
  TagEntity,
  ArticleTagEntity,
  FavoriteEntity,
  CommentEntity,
  ArticleTotalEntity,
];
