import { CacheService, profileKey } from '@app/caching';
import { Injectable, NotFoundException, UnprocessableEntityException, type OnModuleInit } from '@nestjs/common';
import type { AuthUser } from './auth/auth-user';
import type { ProfileResponseDto } from './dto/user-response.dto';
import type { ProfileRow } from './profile.mapper';
import { ProfileRepository } from './profile.repository';
import { UserEvents } from './user-events';
import { ViewerRelationsService } from './viewer-relations.service';

/** Profiles and follows. The cached profile is viewer-independent; `following` is the viewer's own. */
@Injectable()
export class ProfileService implements OnModuleInit {
  constructor(
    private readonly profiles: ProfileRepository,
    private readonly relations: ViewerRelationsService,
    private readonly cache: CacheService,
    private readonly events: UserEvents,
  ) {}

  onModuleInit(): void {
    this.events.onProfileChanged((_id, oldUsername, newUsername) =>
      this.cache.invalidate(profileKey(oldUsername), profileKey(newUsername)),
    );
  }

  async get(username: string, viewer: AuthUser | null): Promise<ProfileResponseDto> {
    const profile = await this.find(username);
    const followees = await this.relations.followeeIds(viewer?.id);
    return this.toResponse(profile, followees.includes(profile.id));
  }

  async follow(viewer: AuthUser, username: string): Promise<ProfileResponseDto> {
    const profile = await this.find(username);
    if (profile.id === viewer.id) {
      throw new UnprocessableEntityException({ errors: { username: ['cannot follow yourself'] } });
    }
    await this.profiles.follow(viewer.id, profile.id);
    await this.relations.forget(viewer.id);
    return this.toResponse(profile, true);
  }

  async unfollow(viewer: AuthUser, username: string): Promise<ProfileResponseDto> {
    const profile = await this.find(username);
    await this.profiles.unfollow(viewer.id, profile.id);
    await this.relations.forget(viewer.id);
    return this.toResponse(profile, false);
  }

  /** Unknown usernames are not cached (they may register later). */
  private find(username: string): Promise<ProfileRow> {
    return this.cache.getOrLoad(profileKey(username), async () => {
      const row = await this.profiles.findByUsername(username);
      if (!row) throw new NotFoundException({ errors: { profile: ['not found'] } });
      return row;
    });
  }

  private toResponse(row: ProfileRow, following: boolean): ProfileResponseDto {
    return { profile: { username: row.username, bio: row.bio, image: row.image, following } };
  }
}
