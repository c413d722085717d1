export { DatabaseModule } from './database.module';
export { DatabaseEndpointProvider } from './database-endpoint.provider';
export { buildDataSourceOptions, APPLICATION_NAME } from './typeorm-options';
export type { DatabaseEndpoint } from './typeorm-options';
export { DatabaseService } from './database.service';
export { DatabasePools } from './database-pools';
export type { PoolStats } from './database-pools';
export { ReplicaRouter } from './replicas/replica-router';
export type { ReplicaState, ReplicaStatus } from './replicas/replica';
export { WritePositions } from './replicas/write-positions';
export { WritePositionsModule } from './replicas/write-positions.module';
export type { BreakerState, SqlExecutor } from './database.service';
export { DatabaseUnavailableException } from './database-unavailable.exception';
export { isConnectionError } from './connection-errors';
export { foreignKeyViolation, uniqueViolation } from './constraint-violation';
export {
  ArticleEntity,
  ArticleTagEntity,
  ArticleTotalEntity,
  CommentEntity,
  FavoriteEntity,
  FollowEntity,
  TagEntity,
  UserEntity,
} from './entities';
