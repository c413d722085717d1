import type { AppConfig } from '@app/config';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DatabaseEndpointProvider } from './database-endpoint.provider';
import { DatabasePools } from './database-pools';
import { DatabaseService } from './database.service';
import { ReplicaRouter } from './replicas/replica-router';
import { WritePositionsModule } from './replicas/write-positions.module';
import { buildDataSourceOptions } from './typeorm-options';

@Module({ providers: [DatabaseEndpointProvider], exports: [DatabaseEndpointProvider] })
class DatabaseEndpointModule {}

/**
 * The TypeORM data source (the primary, pooled), the read replicas (ReplicaRouter): import it where it is used; Nest keeps
 * one instance however many modules import it. (`DataSource` itself is global, by @nestjs/typeorm.)
 */
@Module({
  imports: [
    DatabaseEndpointModule,
    WritePositionsModule,
    TypeOrmModule.forRootAsync({
      imports: [DatabaseEndpointModule],
      inject: [ConfigService, DatabaseEndpointProvider],
      useFactory: async (config: ConfigService<AppConfig, true>, endpoint: DatabaseEndpointProvider) => {
        const db = config.get('db', { infer: true });
        const where = await endpoint.resolve();
        // The embedded server has one database, `postgres`, owned by `postgres`.
        const effective = db.embedded ? { ...db, name: 'postgres', user: 'postgres', password: '' } : db;
        return {
          ...buildDataSourceOptions(effective, where),
          // Fail boot after one clear error instead of retrying for minutes: no silent fallback. This is
          // the primary only: replicas are connected lazily by ReplicaRouter and never fail boot.
          retryAttempts: 0,
        };
      },
    }),
  ],
  providers: [DatabasePools, ReplicaRouter, DatabaseService],
  exports: [DatabaseEndpointModule, WritePositionsModule, DatabasePools, ReplicaRouter, DatabaseService],
})
export class DatabaseModule {}
