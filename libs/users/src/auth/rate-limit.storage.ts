import type { AppConfig } from '@app/config';
import { RedisConnection } from '@app/redis';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ThrottlerStorageService, type ThrottlerStorage } from '@nestjs/throttler';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * Rate-limit counters in Redis, so a limit holds across every instance, on the process's one command
 * connection (`RedisConnection`: no offline queue, command timeout). Redis trouble must not fail a
 * login: while Redis does not answer, counters are kept per instance (said loudly in the log, and
 * /health shows Redis down), and Redis is used again as soon as it answers.
 */
@Injectable()
export class RateLimitStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimit');
  private readonly local = new ThrottlerStorageService();
  private readonly shared: ThrottlerStorageRedisService | null = null;
  private readonly prefix: string;
  private degraded = false;

  constructor(config: ConfigService<AppConfig, true>, connection: RedisConnection) {
    this.prefix = `${config.get('cache', { infer: true }).keyspace}:throttle:`;
    if (connection.client === null) {
      this.logger.warn('No Redis configured: rate limits are counted per instance');
      return;
    }
    // Given a client, it neither opens a connection of its own nor closes this one (RedisConnection does).
    this.shared = new ThrottlerStorageRedisService(connection.client);
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    if (this.shared === null) return this.local.increment(key, ttl, limit, blockDuration, throttlerName);
    try {
      const record = await this.shared.increment(this.prefix + key, ttl, limit, blockDuration, throttlerName);
      if (this.degraded) this.logger.log('Redis is back: rate limits are shared by all instances again');
      this.degraded = false;
      return record;
    } catch (err: unknown) {
      if (!this.degraded) {
        this.logger.error(`Redis unavailable (${String(err)}): rate limits counted per instance until it is back`);
      }
      this.degraded = true;
      return this.local.increment(key, ttl, limit, blockDuration, throttlerName);
    }
  }

  onApplicationShutdown(): void {
    this.local.onApplicationShutdown();
  }
}
