import type { AppConfig } from '@app/config';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DatabaseEndpointProvider } from './database-endpoint.provider';
import { DatabasePools } from './database-pools';
import { DatabaseService } from './database.service';
import { buildDataSourceOptions } from './typeorm-options';

@Module({ providers: [DatabaseEndpointProvider], exports: [DatabaseEndpointProvider] })
class DatabaseEndpointModule {}

/**
 * The TypeORM data source (pooled, replicated when configured): import it where it is used; Nest keeps
 * one instance however many modules import it. (`DataSource` itself is global, by @nestjs/typeorm.)
 */
@Module({
  imports: [
    DatabaseEndpointModule,
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
          // Fail boot after one clear error instead of retrying for minutes: no silent fallback.
          retryAttempts: 0,
        };
      },
    }),
  ],
  providers: [DatabasePools, DatabaseService],
  exports: [DatabaseEndpointModule, DatabasePools, DatabaseService],
})
export class DatabaseModule {}
