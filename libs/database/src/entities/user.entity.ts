import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A registered account (migrations/1764000000000-initial-schema.ts). */
@Entity({ name: 'users' })
// Emails are unique case-insensitively: a functional index on lower(email), which TypeORM can neither
// express nor read back (it has no column), so it must leave it alone. The migration owns it.
@Index('users_email_lower_uq', { synchronize: false })
@Index('users_username_uq', ['username'], { unique: true })
export class UserEntity {
  @PrimaryGeneratedColumn('identity', {
    name: 'id',
    generatedIdentity: 'ALWAYS',
    primaryKeyConstraintName: 'users_pkey',
  })
  id!: number;

  @Column({ name: 'email', type: 'varchar', length: 254 })
  email!: string;

  @Column({ name: 'username', type: 'varchar', length: 64 })
  username!: string;

  @Column({ name: 'password_hash', type: 'text' })
  passwordHash!: string;

  @Column({ name: 'bio', type: 'text', nullable: true })
  bio!: string | null;

  @Column({ name: 'image', type: 'varchar', length: 2048, nullable: true })
  image!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  // TypeORM sets it to CURRENT_TIMESTAMP on every update it issues.
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
