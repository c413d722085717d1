import { UsersModule } from '@app/users';
import { Module } from '@nestjs/common';
import { ArticleRepository } from './articles/article.repository';
import { ArticleService } from './articles/article.service';
import { ArticlesController } from './articles/articles.controller';
import { AuthorChangesListener } from './author-changes.listener';
import { CommentRepository } from './comments/comment.repository';
import { CommentService } from './comments/comment.service';
import { CommentsController } from './comments/comments.controller';
import { TagService } from './tags/tag.service';
import { TagsController } from './tags/tags.controller';
import { ViewerOverlayService } from './viewer-overlay.service';

/** Articles, comments, tags, favorites and the feed. */
@Module({
  imports: [UsersModule],
  controllers: [ArticlesController, CommentsController, TagsController],
  providers: [
    ArticleRepository,
    ArticleService,
    CommentRepository,
    CommentService,
    TagService,
    ViewerOverlayService,
    AuthorChangesListener,
  ],
})
export class ContentModule {}
