export { clearKeyspace } from './clear-keyspace';
export { errorMessage, REDIS_COMMAND_TIMEOUT_MS, REDIS_CONNECT_TIMEOUT_MS, RedisConnection } from './redis-connection';
export { RedisConnectionModule } from './redis-connection.module';
export { TimeoutError, withTimeout } from './with-timeout';
