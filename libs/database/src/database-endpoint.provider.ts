import type { AppConfig } from '@app/config';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';
import type { DatabaseEndpoint } from './typeorm-options';

/**
 * Resolves where the primary database is. With DB_HOST set that is the configured server; without
 * it (never in production) an embedded PGlite server is started here and stopped at shutdown.
 */
@Injectable()
export class DatabaseEndpointProvider implements OnApplicationShutdown {
  private readonly logger = new Logger(DatabaseEndpointProvider.name);
  private embedded: EmbeddedPostgres | null = null;
  private resolved: Promise<DatabaseEndpoint> | null = null;

  constructor(private readonly config: ConfigService<AppConfig, true>) {}

  get isEmbedded(): boolean {
    return this.config.get('db', { infer: true }).embedded;
  }

  resolve(): Promise<DatabaseEndpoint> {
    this.resolved ??= this.start();
    return this.resolved;
  }

  private async start(): Promise<DatabaseEndpoint> {
    const db = this.config.get('db', { infer: true });
    if (!db.embedded) {
      this.logger.log(`Using PostgreSQL at ${db.host}:${db.port}/${db.name}`);
      return db;
    }
    this.embedded = await startEmbeddedPostgres(this.config.get('embeddedDataDir', { infer: true }), db.poolMax + 2);
    return this.embedded;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.embedded?.stop();
    this.embedded = null;
  }
}
