import { CacheService, commentsKey } from '@app/caching';
import type { AuthUser } from '@app/users';
import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { ArticleRepository } from '../articles/article.repository';
import { renderComment, type ViewTemplate } from '../view-template';
import { ViewerOverlayService, type ViewerSets } from '../viewer-overlay.service';
import { CommentRepository } from './comment.repository';

interface CachedComments {
  items: ViewTemplate[];
  anonymous: string;
}

function renderList(items: ViewTemplate[], viewer?: ViewerSets): string {
  const rendered = items.map((t) => renderComment(t, viewer?.followees.includes(t.authorId) ?? false));
  return `{"comments":[${rendered.join(',')}]}`;
}

@Injectable()
export class CommentService {
  constructor(
    private readonly comments: CommentRepository,
    private readonly articles: ArticleRepository,
    private readonly cache: CacheService,
    private readonly overlay: ViewerOverlayService,
  ) {}

  async list(slug: string, viewer: AuthUser | null): Promise<string> {
    const cached = await this.cache.getOrLoad<CachedComments>(commentsKey(slug), async () => {
      const items = await this.comments.findByArticle(await this.articleId(slug));
      return { items, anonymous: renderList(items) };
    });
    if (!viewer) return cached.anonymous;
    return renderList(cached.items, await this.overlay.setsOf(viewer));
  }

  async add(viewer: AuthUser, slug: string, body: string): Promise<string> {
    const template = await this.comments.insert(await this.articleId(slug), viewer.id, body);
    await this.cache.invalidate(commentsKey(slug));
    const sets = await this.overlay.setsOf(viewer);
    return `{"comment":${renderComment(template, sets.followees.includes(template.authorId))}}`;
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
