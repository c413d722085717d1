import type { AppConfig } from '@app/config';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ThrottlerStorageService, type ThrottlerStorage } from '@nestjs/throttler';
import { Redis } from 'ioredis';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * Rate-limit counters in Redis, so a limit holds across every instance. Redis trouble must not fail
 * a login: while Redis does not answer, counters are kept per instance (said loudly in the log, and
 * /health shows Redis down), and Redis is used again as soon as it answers.
 */
@Injectable()
export class RateLimitStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimit');
  private readonly local = new ThrottlerStorageService();
  private readonly client: Redis | null = null;
  private readonly shared: ThrottlerStorageRedisService | null = null;
  private readonly prefix: string;
  private degraded = false;

  constructor(config: ConfigService<AppConfig, true>) {
    const redis = config.get('redis', { infer: true });
    this.prefix = `${config.get('cache', { infer: true }).keyspace}:throttle:`;
    if (redis === null) {
      this.logger.warn('No Redis configured: rate limits are counted per instance');
      return;
    }
    this.client = new Redis(redis.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 1000,
      commandTimeout: 250,
      retryStrategy: (times: number) => Math.min(100 * 2 ** times, 1000),
    });
    this.client.on('error', () => undefined); // reported once per outage by increment()
    this.shared = new ThrottlerStorageRedisService(this.client);
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
    this.client?.disconnect();
  }
}
