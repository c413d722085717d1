import { DatabaseService } from '@app/database';
import { Injectable } from '@nestjs/common';

/** The viewer-independent part of a profile, plus the id the viewer overlay needs. */
export interface ProfileRow {
  id: number;
  username: string;
  bio: string | null;
  image: string | null;
}

@Injectable()
export class ProfileRepository {
  constructor(private readonly db: DatabaseService) {}

  async findByUsername(username: string): Promise<ProfileRow | null> {
    const rows = await this.db.query<ProfileRow>('SELECT id, username, bio, image FROM users WHERE username = $1', [
      username,
    ]);
    return rows[0] ?? null;
  }

  /** Ids of everyone `followerId` follows: the viewer's own small set, overlaid on cached views. */
  async followeeIds(followerId: number): Promise<number[]> {
    const rows = await this.db.query<{ ids: number[] }>(
      'SELECT coalesce(array_agg(followee_id), ARRAY[]::int[]) AS ids FROM follows WHERE follower_id = $1',
      [followerId],
    );
    return rows[0].ids;
  }

  async follow(followerId: number, followeeId: number): Promise<void> {
    await this.db.query('INSERT INTO follows (follower_id, followee_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
      followerId,
      followeeId,
    ]);
  }

  async unfollow(followerId: number, followeeId: number): Promise<void> {
    await this.db.query('DELETE FROM follows WHERE follower_id = $1 AND followee_id = $2', [followerId, followeeId]);
  }
}
