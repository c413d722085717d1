import { Injectable } from '@nestjs/common';

type ProfileChangedListener = (userId: number, oldUsername: string, newUsername: string) => Promise<void>;

/**
 * Lets other modules react to account changes without users knowing about them: an author's
 * username, bio and image appear inside cached articles and comments, which content invalidates.
 * Listeners are awaited, so caches are clean before the write's response is sent.
 */
@Injectable()
export class UserEvents {
  private readonly listeners: ProfileChangedListener[] = [];

  onProfileChanged(listener: ProfileChangedListener): void {
    this.listeners.push(listener);
  }

  async profileChanged(userId: number, oldUsername: string, newUsername: string): Promise<void> {
    await Promise.all(this.listeners.map((listener) => listener(userId, oldUsername, newUsername)));
  }
}
