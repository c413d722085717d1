import { CacheService } from '@app/caching';
import { UserEvents } from '@app/users';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { depends } from './cache-keys';
import { CommentRepository } from './comments/comment.repository';

/** An author's username, bio and image are inside cached articles, list items and comments: bump those. */
@Injectable()
export class AuthorChangesListener implements OnModuleInit {
  constructor(
    private readonly events: UserEvents,
    private readonly comments: CommentRepository,
    private readonly cache: CacheService,
  ) {}

  onModuleInit(): void {
    this.events.onProfileChanged(async (userId, oldUsername, newUsername) => {
      const articles = await this.comments.articlesShowingUser(userId);
      const changed = articles.flatMap(({ id, slug, authored }) =>
        authored ? [depends.article(id), depends.slug(slug), depends.comments(slug)] : [depends.comments(slug)],
      );
      // `?author=` and `?favorited=` pages name users: a new username changes which pages hold what.
      if (oldUsername !== newUsername) changed.push(depends.lists);
      await this.cache.bump(...changed);
    });
  }
}
