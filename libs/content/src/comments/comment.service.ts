import { CacheService, PersonalizedBody } from '@app/caching';
import type { AuthUser } from '@app/users';
import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { ArticleRepository } from '../articles/article.repository';
import { commentsKey, depends } from '../cache-keys';
import { cacheDocument, renderFor, type CachedDocument } from '../cached-document';
import type { MultipleCommentsResponse, SingleCommentResponse } from '../dto/article-response.dto';
import { flagsOf, TEMPLATE_FLAGS } from '../viewer-flags';
import { ViewerOverlayService } from '../viewer-overlay.service';
import { toComment } from './comment.mapper';
import { CommentRepository } from './comment.repository';

@Injectable()
export class CommentService {
  constructor(
    private readonly comments: CommentRepository,
    private readonly articles: ArticleRepository,
    private readonly cache: CacheService,
    private readonly overlay: ViewerOverlayService,
  ) {}

  async list(slug: string, viewer: AuthUser | null): Promise<PersonalizedBody<MultipleCommentsResponse>> {
    const cached = await this.cache.fetch<CachedDocument<MultipleCommentsResponse>>(commentsKey(slug), async () => {
      const rows = await this.comments.findByArticle(await this.articleId(slug));
      return cacheDocument({ comments: rows.map((row) => toComment(row, TEMPLATE_FLAGS)) });
    });
    return renderFor(cached, viewer ? await this.overlay.setsOf(viewer) : null);
  }

  async add(viewer: AuthUser, slug: string, body: string): Promise<SingleCommentResponse> {
    const row = await this.comments.insert(await this.articleId(slug), viewer.id, body);
    // Deleted after it was looked up: a 404, as if the DELETE had come first.
    if (row === null) throw new NotFoundException({ errors: { article: ['not found'] } });
    await this.cache.bump(depends.comments(slug));
    return { comment: toComment(row, flagsOf(await this.overlay.setsOf(viewer))) };
  }

  async delete(viewer: AuthUser, slug: string, commentId: number): Promise<void> {
    const authorId = await this.comments.findAuthor(await this.articleId(slug), commentId);
    if (authorId === null) throw new NotFoundException({ errors: { comment: ['not found'] } });
    if (authorId !== viewer.id) {
      throw new ForbiddenException({ errors: { comment: ['can only be deleted by its author'] } });
    }
    await this.comments.delete(commentId);
    await this.cache.bump(depends.comments(slug));
  }

  private async articleId(slug: string): Promise<number> {
    const ref = await this.articles.findRefBySlug(slug);
    if (!ref) throw new NotFoundException({ errors: { article: ['not found'] } });
    return ref.id;
  }
}
