import { Logger } from '@nestjs/common';

const RETRY_MS = 500;

/**
 * Bumps that never reached Redis (it was down, or one command failed): other instances may still read
 * entries those writes retired. Until the epoch has moved on (`moveEpochOn`, retiring everything cached
 * before, once Redis answers), this instance bypasses the cache tiers.
 */
export class MissedBumps {
  private readonly logger = new Logger('CacheService');
  private missed = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly redisUp: () => boolean,
    private readonly moveEpochOn: () => Promise<void>,
  ) {}

  get pending(): boolean {
    return this.missed;
  }

  noteMissed(): void {
    this.missed = true;
    this.retry();
  }

  /** Called when Redis's breaker closes, and on a timer until it works. */
  retry(): void {
    clearTimeout(this.timer);
    if (!this.missed || !this.redisUp()) return;
    this.moveEpochOn().then(
      () => {
        this.missed = false;
        this.logger.log('Redis back: the cache epoch moved on past the write(s) it missed');
      },
      () => (this.timer = setTimeout(() => this.retry(), RETRY_MS).unref()),
    );
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}
