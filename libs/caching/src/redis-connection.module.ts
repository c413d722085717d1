import { Module } from '@nestjs/common';
import { RedisConnection } from './redis-connection';

/** Internal: lets cache-manager's async factory and the cache share one Redis connection. */
@Module({ providers: [RedisConnection], exports: [RedisConnection] })
export class RedisConnectionModule {}
