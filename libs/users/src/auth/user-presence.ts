import { DatabaseUnavailableException } from '@app/database';
import { Injectable } from '@nestjs/common';
import { UserRepository } from '../user.repository';

/** How long "this user exists" is believed without asking PostgreSQL again (reads only; writes always ask). */
export const USER_PRESENCE_TTL_MS = 30_000;
const MAX_REMEMBERED = 10_000;

/** `write`: the request changes data, so the answer must be fresh; `read`: a recent answer will do. */
export type PresenceNeed = 'read' | 'write';

/**
 * Whether the user a valid token names still exists. A token outlives its user when an operator
 * removes the row (there is no delete-user API), and then every route must answer 401, not 500 from
 * a foreign key or 200 from a cache.
 *
 * Writes ask PostgreSQL every time (a primary-key lookup), so no write ever runs for a removed user,
 * except on routes whose write statement checks the viewer's row itself (`@Auth({ viewerCheckedByWrite:
 * true })`: create article, favorite): they trust a recent answer as reads do, and the statement
 * refuses a removed user with the same 401 (TokenService.viewerGone). Reads trust an answer younger than
 * USER_PRESENCE_TTL_MS, kept here per user id: the response tier reads it with a map lookup
 * (`isConfirmed`), so a cached signed-in read costs no query, and a removed user is refused by every
 * read within that TTL — at once on this instance if one of their writes found them gone first.
 * Only "exists" is remembered: ids are never reused in production, but tests restart the sequence.
 */
@Injectable()
export class UserPresence {
  /** User id → when PostgreSQL last said the user exists (insertion order = age, for eviction). */
  private readonly confirmedAt = new Map<number, number>();
  /** Concurrent checks of one user share one query (a reader's many requests after the TTL). */
  private readonly pending = new Map<number, Promise<boolean>>();

  constructor(private readonly users: UserRepository) {}

  /** True when the user was confirmed within the TTL. No I/O: the response tier's hot path calls it. */
  isConfirmed(userId: number): boolean {
    const at = this.confirmedAt.get(userId);
    return at !== undefined && Date.now() - at < USER_PRESENCE_TTL_MS;
  }

  /**
   * Whether the user exists. A read whose check cannot reach PostgreSQL trusts the signature, so
   * stale-if-error reads keep serving signed-in readers through an outage; a write gets the 503.
   */
  async exists(userId: number, need: PresenceNeed): Promise<boolean> {
    if (need === 'read' && this.isConfirmed(userId)) return true;
    try {
      return await this.lookUp(userId);
    } catch (err: unknown) {
      if (need === 'read' && err instanceof DatabaseUnavailableException) return true;
      throw err;
    }
  }

  /** Forgets one user's answer: a write found their row gone. */
  forget(userId: number): void {
    this.confirmedAt.delete(userId);
  }

  /** Forgets every answer (tests that restart the id sequence; a future delete-user API would forget one). */
  clear(): void {
    this.confirmedAt.clear();
  }

  private lookUp(userId: number): Promise<boolean> {
    let check = this.pending.get(userId);
    if (check === undefined) {
      check = this.users.exists(userId).then((exists) => {
        this.remember(userId, exists);
        return exists;
      });
      const settled = () => this.pending.delete(userId);
      check.then(settled, settled);
      this.pending.set(userId, check);
    }
    return check;
  }

  private remember(userId: number, exists: boolean): void {
    this.confirmedAt.delete(userId);
    if (!exists) return;
    if (this.confirmedAt.size >= MAX_REMEMBERED) this.confirmedAt.delete(this.confirmedAt.keys().next().value!);
    this.confirmedAt.set(userId, Date.now());
  }
}
