import { CachingModule } from '@app/caching';
import { DatabaseModule } from '@app/database';
import { UsersModule } from '@app/users';
import { Module } from '@nestjs/common';
import { ArticleListService } from './articles/article-list.service';
import { ArticleRepository } from './articles/article.repository';
import { ArticleService } from './articles/article.service';
import { ArticlesController } from './articles/articles.controller';
import { FavoriteRepository } from './articles/favorite.repository';
import { AuthorChangesListener } from './author-changes.listener';
import { CommentRepository } from './comments/comment.repository';
import { CommentService } from './comments/comment.service';
import { CommentsController } from './comments/comments.controller';
import { TagService } from './tags/tag.service';
import { TagsController } from './tags/tags.controller';
import { ViewerOverlayService } from './viewer-overlay.service';

/** Articles, comments, tags, favorites and the feed. */
@Module({
  imports: [DatabaseModule, CachingModule, UsersModule],
  controllers: [ArticlesController, CommentsController, TagsController],
  providers: [
    ArticleRepository,
    ArticleService,
    ArticleListService,
    FavoriteRepository,
    CommentRepository,
    CommentService,
    TagService,
    ViewerOverlayService,
    AuthorChangesListener,
  ],
  // For the response tier's viewer lookup, bound in the application module.
  exports: [ViewerOverlayService],
})
export class ContentModule {}
