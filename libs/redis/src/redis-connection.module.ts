import { Module } from '@nestjs/common';
import { RedisConnection } from './redis-connection';

/** The process's Redis connections, shared by cache-manager's store, the cache, the bus and the rate limits. */
@Module({ providers: [RedisConnection], exports: [RedisConnection] })
export class RedisConnectionModule {}
