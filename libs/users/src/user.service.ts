import { uniqueViolation } from '@app/database';
import { Injectable, UnprocessableEntityException } from '@nestjs/common';
import type { AuthUser } from './auth/auth-user';
import { TokenService, unauthorized, USER_GONE } from './auth/token.service';
import type { LoginUserFieldsDto, NewUserDto, UpdateUserFieldsDto } from './dto/user-request.dto';
import type { UserResponseDto } from './dto/user-response.dto';
import { hashPassword, verifyPassword } from './password-hasher';
import { UserRepository, type UserChanges, type UserRow } from './user.repository';
import { UserEvents } from './user-events';

const TAKEN = 'has already been taken';
// Compared against when the email is unknown, so a login takes as long for a wrong email as for a wrong password.
const DUMMY_HASH = hashPassword('not-a-real-password');

/** Registration, login and the current user's account. */
@Injectable()
export class UserService {
  constructor(
    private readonly users: UserRepository,
    private readonly tokens: TokenService,
    private readonly events: UserEvents,
  ) {}

  async register(input: NewUserDto): Promise<UserResponseDto> {
    await this.assertAvailable(input.email, input.username);
    const passwordHash = await hashPassword(input.password);
    const row = await this.users.insert(input.email, input.username, passwordHash).catch((err: unknown) => {
      throw this.takenError(err);
    });
    return this.toResponse(row);
  }

  async login(input: LoginUserFieldsDto): Promise<UserResponseDto> {
    const row = await this.users.findByEmail(input.email);
    const valid = await verifyPassword(input.password, row?.passwordHash ?? (await DUMMY_HASH));
    if (!row || !valid) {
      throw new UnprocessableEntityException({ errors: { 'email or password': ['is invalid'] } });
    }
    return this.toResponse(row);
  }

  async current(auth: AuthUser): Promise<UserResponseDto> {
    const row = await this.users.findById(auth.id);
    if (!row) throw unauthorized(USER_GONE);
    return this.toResponse(row, auth.token);
  }

  async update(auth: AuthUser, input: UpdateUserFieldsDto): Promise<UserResponseDto> {
    // The guard checked the user exists; this covers a removal in between, with the same 401.
    const before = await this.users.findById(auth.id);
    if (!before) throw unauthorized(USER_GONE);
    await this.assertAvailable(input.email, input.username, auth.id);
    const changes: UserChanges = {
      email: input.email,
      username: input.username,
      bio: input.bio,
      image: input.image,
      passwordHash: input.password === undefined ? undefined : await hashPassword(input.password),
    };
    const row = await this.users.update(auth.id, changes).catch((err: unknown) => {
      throw this.takenError(err);
    });
    if (!row) throw unauthorized(USER_GONE);
    // Username, bio and image are shown inside articles and comments; email and password are not.
    if (row.username !== before.username || row.bio !== before.bio || row.image !== before.image) {
      await this.events.profileChanged(row.id, before.username, row.username);
    }
    // A new username changes the token's claims: issue a fresh token.
    const token = row.username === auth.username ? auth.token : undefined;
    return this.toResponse(row, token);
  }

  private async assertAvailable(email?: string, username?: string, exceptId = 0): Promise<void> {
    if (email === undefined && username === undefined) return;
    const taken = await this.users.findTaken(email, username, exceptId);
    const errors: Record<string, string[]> = {};
    if (taken.email) errors.email = [TAKEN];
    if (taken.username) errors.username = [TAKEN];
    if (Object.keys(errors).length > 0) throw new UnprocessableEntityException({ errors });
  }

  /** A concurrent registration can still win the race: the unique index is the final word. */
  private takenError(err: unknown): unknown {
    const constraint = uniqueViolation(err);
    if (constraint === null) return err;
    const field = constraint.includes('email') ? 'email' : 'username';
    return new UnprocessableEntityException({ errors: { [field]: [TAKEN] } });
  }

  private toResponse(row: UserRow, token?: string): UserResponseDto {
    return {
      user: {
        email: row.email,
        token: token ?? this.tokens.sign(row),
        username: row.username,
        bio: row.bio,
        image: row.image,
      },
    };
  }
}
