import { DatabaseService } from '@app/database';
import { Injectable } from '@nestjs/common';

export interface UserRow {
  id: number;
  email: string;
  username: string;
  password_hash: string;
  bio: string | null;
  image: string | null;
}

export interface UserChanges {
  email?: string;
  username?: string;
  passwordHash?: string;
  bio?: string | null;
  image?: string | null;
}

const COLUMNS = 'id, email, username, password_hash, bio, image';

/** SQL for the users table. Emails compare case-insensitively (unique index on lower(email)). */
@Injectable()
export class UserRepository {
  constructor(private readonly db: DatabaseService) {}

  async findByEmail(email: string): Promise<UserRow | null> {
    const rows = await this.db.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE lower(email) = lower($1)`, [email]);
    return rows[0] ?? null;
  }

  async findById(id: number): Promise<UserRow | null> {
    const rows = await this.db.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** Which of email/username already belong to someone other than `exceptId`. */
  async findTaken(email: string | undefined, username: string | undefined, exceptId = 0) {
    const rows = await this.db.query<{ email_taken: boolean; username_taken: boolean }>(
      `SELECT
         EXISTS (SELECT 1 FROM users WHERE lower(email) = lower($1) AND id <> $3) AS email_taken,
         EXISTS (SELECT 1 FROM users WHERE username = $2 AND id <> $3) AS username_taken`,
      [email ?? null, username ?? null, exceptId],
    );
    return { email: rows[0].email_taken, username: rows[0].username_taken };
  }

  async insert(email: string, username: string, passwordHash: string): Promise<UserRow> {
    const rows = await this.db.query<UserRow>(
      `INSERT INTO users (email, username, password_hash) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`,
      [email, username, passwordHash],
    );
    return rows[0];
  }

  async update(id: number, changes: UserChanges): Promise<UserRow | null> {
    const rows = await this.db.query<UserRow>(
      `UPDATE users SET
         email = CASE WHEN $2::boolean THEN $3 ELSE email END,
         username = CASE WHEN $4::boolean THEN $5 ELSE username END,
         password_hash = CASE WHEN $6::boolean THEN $7 ELSE password_hash END,
         bio = CASE WHEN $8::boolean THEN $9 ELSE bio END,
         image = CASE WHEN $10::boolean THEN $11 ELSE image END,
         updated_at = now()
       WHERE id = $1
       RETURNING ${COLUMNS}`,
      [
        id,
        changes.email !== undefined,
        changes.email ?? null,
        changes.username !== undefined,
        changes.username ?? null,
        changes.passwordHash !== undefined,
        changes.passwordHash ?? null,
        changes.bio !== undefined,
        changes.bio ?? null,
        changes.image !== undefined,
        changes.image ?? null,
      ],
    );
    return rows[0] ?? null;
  }
}
