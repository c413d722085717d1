import { DatabaseService, UserEntity } from '@app/database';
import { Injectable } from '@nestjs/common';

/** What the service reads of a user: the entity's own columns, typed and camelCase. */
export type UserRow = Pick<UserEntity, 'id' | 'email' | 'username' | 'passwordHash' | 'bio' | 'image'>;

/** Columns to change; `undefined` leaves one as it is, `null` clears a nullable one. */
export type UserChanges = Partial<Pick<UserEntity, 'email' | 'username' | 'passwordHash' | 'bio' | 'image'>>;

// Reads are hand-written (prepared per connection, see DatabaseService.query): findById runs for
// every /user request. Aliases give the entity's property names.
const COLUMNS = 'id, email, username, password_hash AS "passwordHash", bio, image';

/**
 * The users table. Writes go through TypeORM's entity manager; emails compare case-insensitively
 * (the unique index is on lower(email)), and a unique violation surfaces as TypeORM's
 * QueryFailedError carrying the index name, for the service to turn into 422.
 */
@Injectable()
export class UserRepository {
  constructor(private readonly db: DatabaseService) {}

  async findByEmail(email: string): Promise<UserRow | null> {
    const rows = await this.db.read<UserRow>(`SELECT ${COLUMNS} FROM users WHERE lower(email) = lower($1)`, [email]);
    return rows[0] ?? null;
  }

  async findById(id: number): Promise<UserRow | null> {
    const rows = await this.db.read<UserRow>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** Whether the user is still there: a primary-key probe, asked before every signed-in write (UserPresence). */
  async exists(id: number): Promise<boolean> {
    const rows = await this.db.read<{ exists: boolean }>('SELECT EXISTS (SELECT 1 FROM users WHERE id = $1)', [id]);
    return rows[0].exists;
  }

  /** Which of email/username already belong to someone other than `exceptId`. */
  async findTaken(email: string | undefined, username: string | undefined, exceptId = 0) {
    const rows = await this.db.read<{ emailTaken: boolean; usernameTaken: boolean }>(
      `SELECT
         EXISTS (SELECT 1 FROM users WHERE lower(email) = lower($1) AND id <> $3) AS "emailTaken",
         EXISTS (SELECT 1 FROM users WHERE username = $2 AND id <> $3) AS "usernameTaken"`,
      [email ?? null, username ?? null, exceptId],
    );
    return { email: rows[0].emailTaken, username: rows[0].usernameTaken };
  }

  /** The new user, with the id and timestamps PostgreSQL gave it (INSERT … RETURNING, one round trip). */
  insert(email: string, username: string, passwordHash: string): Promise<UserEntity> {
    return this.db.withManager(async (manager) => {
      const user = manager.create(UserEntity, { email, username, passwordHash, bio: null, image: null });
      await manager.insert(UserEntity, user);
      return user;
    });
  }

  /** The user as it is after the change (null when there is no such user); `updatedAt` moves on. */
  async update(id: number, changes: UserChanges): Promise<UserRow | null> {
    // TypeORM adds `updated_at = CURRENT_TIMESTAMP` itself (UpdateDateColumn); undefined keys are left out.
    const set = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
    const { affected } = await this.db.withManager((manager) => manager.update(UserEntity, { id }, set));
    return affected ? this.findById(id) : null;
  }
}
