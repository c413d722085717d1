import { CacheService, commentsKey, PersonalizedBody, renderSpliced, type SplicedJson } from '@app/caching';
import type { AuthUser } from '@app/users';
import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { ArticleRepository } from '../articles/article.repository';
import { appendComment, listDocument, singleDocument } from '../view-template';
import { ViewerOverlayService } from '../viewer-overlay.service';
import { CommentRepository } from './comment.repository';

interface CachedComments {
  doc: SplicedJson;
  anonymous: string;
}

@Injectable()
export class CommentService {
  constructor(
    private readonly comments: CommentRepository,
    private readonly articles: ArticleRepository,
    private readonly cache: CacheService,
    private readonly overlay: ViewerOverlayService,
  ) {}

  async list(slug: string, viewer: AuthUser | null): Promise<PersonalizedBody> {
    const cached = await this.cache.getOrLoad<CachedComments>(commentsKey(slug), async () => {
      const doc = listDocument(
        'comments',
        await this.comments.findByArticle(await this.articleId(slug)),
        appendComment,
      );
      return { doc, anonymous: renderSpliced(doc) };
    });
    const json = viewer ? renderSpliced(cached.doc, await this.overlay.setsOf(viewer)) : cached.anonymous;
    return new PersonalizedBody(json, cached.doc);
  }

  async add(viewer: AuthUser, slug: string, body: string): Promise<string> {
    const template = await this.comments.insert(await this.articleId(slug), viewer.id, body);
    await this.cache.invalidate(commentsKey(slug));
    return renderSpliced(singleDocument('comment', template, appendComment), await this.overlay.setsOf(viewer));
  }

  async delete(viewer: AuthUser, slug: string, commentId: number): Promise<void> {
    const authorId = await this.comments.findAuthor(await this.articleId(slug), commentId);
    if (authorId === null) throw new NotFoundException({ errors: { comment: ['not found'] } });
    if (authorId !== viewer.id) {
      throw new ForbiddenException({ errors: { comment: ['can only be deleted by its author'] } });
    }
    await this.comments.delete(commentId);
    await this.cache.invalidate(commentsKey(slug));
  }

  private async articleId(slug: string): Promise<number> {
    const ref = await this.articles.findRefBySlug(slug);
    if (!ref) throw new NotFoundException({ errors: { article: ['not found'] } });
    return ref.id;
  }
}
