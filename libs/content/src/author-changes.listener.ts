import { ARTICLES_NAMESPACE, articleKey, CacheService, commentsKey } from '@app/caching';
import { UserEvents } from '@app/users';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { CommentRepository } from './comments/comment.repository';

/** An author's username, bio and image are inside cached articles, lists and comments: drop those. */
@Injectable()
export class AuthorChangesListener implements OnModuleInit {
  constructor(
    private readonly events: UserEvents,
    private readonly comments: CommentRepository,
    private readonly cache: CacheService,
  ) {}

  onModuleInit(): void {
    this.events.onProfileChanged(async (userId) => {
      const slugs = await this.comments.slugsShowingUser(userId);
      const keys = slugs.flatMap((slug) => [articleKey(slug), commentsKey(slug)]);
      await Promise.all([this.cache.invalidate(...keys), this.cache.bumpNamespace(ARTICLES_NAMESPACE)]);
    });
  }
}
