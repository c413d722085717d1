import { CacheService, PersonalizedBody, renderSpliced, spliceDocument, ViewerFlag } from '@app/caching';
import { Injectable, NotFoundException, UnprocessableEntityException, type OnModuleInit } from '@nestjs/common';
import type { AuthUser } from './auth/auth-user';
import { FOLLOWEES, profileKey, userDepends } from './cache-keys';
import type { ProfileResponseDto } from './dto/user-response.dto';
import type { ProfileRow, ProfileView } from './profile.mapper';
import { ProfileRepository } from './profile.repository';
import { UserEvents } from './user-events';
import { ViewerRelationsService } from './viewer-relations.service';

/**
 * Profiles and follows. The cached profile is viewer-independent; `following` is the viewer's own,
 * overlaid from their followees set (and by the response tier, from the template).
 */
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
      this.cache.bump(userDepends.profile(oldUsername), userDepends.profile(newUsername)),
    );
  }

  async get(username: string, viewer: AuthUser | null): Promise<PersonalizedBody<ProfileResponseDto>> {
    const cached = await this.cache.fetch(profileKey(username), () => this.load(username));
    const template = spliceDocument(this.toResponse(cached.value, new ViewerFlag(FOLLOWEES, cached.value.id)));
    const sets = viewer === null ? undefined : { [FOLLOWEES]: await this.relations.followeeIds(viewer.id) };
    return new PersonalizedBody(renderSpliced(template, sets), template, cached);
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
    return this.cache.getOrLoad(profileKey(username), () => this.load(username));
  }

  private async load(username: string): Promise<ProfileRow> {
    const row = await this.profiles.findByUsername(username);
    if (!row) throw new NotFoundException({ errors: { profile: ['not found'] } });
    return row;
  }

  private toResponse<F>(row: ProfileRow, following: F): { profile: ProfileView<F> } {
    return { profile: { username: row.username, bio: row.bio, image: row.image, following } };
  }
}
