import { Check, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { UserEntity } from './user.entity';

/** `followerId` follows `followeeId`. */
@Entity({ name: 'follows' })
@Check('follows_not_self', '"follower_id" <> "followee_id"')
// The primary key serves the feed ("whom do I follow"); this one serves cascades and "who follows X".
@Index('follows_followee_idx', ['followeeId'])
export class FollowEntity {
  @PrimaryColumn({ name: 'follower_id', type: 'integer', primaryKeyConstraintName: 'follows_pkey' })
  followerId!: number;

  @PrimaryColumn({ name: 'followee_id', type: 'integer', primaryKeyConstraintName: 'follows_pkey' })
  followeeId!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'follower_id', foreignKeyConstraintName: 'follows_follower_id_fkey' })
  follower?: Relation<UserEntity>;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'followee_id', foreignKeyConstraintName: 'follows_followee_id_fkey' })
  followee?: Relation<UserEntity>;
}
