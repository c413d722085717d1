import { DatabaseService, FollowEntity } from '@app/database';
import { Injectable } from '@nestjs/common';
import type { ProfileRow } from './profile.mapper';

/** Profiles (read by hand-written SQL: they are cached reads) and follows (written through TypeORM). */
@Injectable()
export class ProfileRepository {
  constructor(private readonly db: DatabaseService) {}

  async findByUsername(username: string): Promise<ProfileRow | null> {
    const rows = await this.db.read<ProfileRow>('SELECT id, username, bio, image FROM users WHERE username = $1', [
      username,
    ]);
    return rows[0] ?? null;
  }

  /** Ids of everyone `followerId` follows: the viewer's own small set, overlaid on cached views. */
  async followeeIds(followerId: number): Promise<number[]> {
    const rows = await this.db.read<{ ids: number[] }>(
      'SELECT coalesce(array_agg(followee_id), ARRAY[]::int[]) AS ids FROM follows WHERE follower_id = $1',
      [followerId],
    );
    return rows[0].ids;
  }

  /** Idempotent: following someone already followed changes nothing (ON CONFLICT DO NOTHING). */
  async follow(followerId: number, followeeId: number): Promise<void> {
    await this.db.withManager((manager) =>
      manager
        .createQueryBuilder()
        .insert()
        .into(FollowEntity)
        .values({ followerId, followeeId })
        .orIgnore()
        // Nothing to read back (RETURNING created_at): a conflict returns no row anyway.
        .updateEntity(false)
        .execute(),
    );
  }

  async unfollow(followerId: number, followeeId: number): Promise<void> {
    await this.db.withManager((manager) => manager.delete(FollowEntity, { followerId, followeeId }));
  }
}
