import type { AppConfig } from '@app/config';
import { DatabaseEndpointProvider } from '@app/database';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { seedDatabase, SMALL_SEED } from '../../../migrations/seed/seed';
import { applyPendingMigrations, pendingMigrations } from './apply-migrations';

/**
 * The schema at boot, before the server listens:
 * - embedded development database: migrated and seeded, so `npm start` needs nothing else;
 * - a configured server outside production: pending migrations applied (DB_MIGRATE_ON_BOOT=false turns it off);
 * - production: never migrated here (a separate step does it); pending ones are logged loudly and
 *   /health/ready stays 503 until they are applied (libs/monitoring checks them).
 */
@Injectable()
export class SchemaBootstrap implements OnModuleInit {
  private readonly logger = new Logger(SchemaBootstrap.name);

  constructor(
    private readonly endpoint: DatabaseEndpointProvider,
    private readonly dataSource: DataSource,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.endpoint.isEmbedded) {
      await this.migrate('Embedded database');
      this.logger.log(`Embedded database: ${await seedDatabase(this.dataSource, SMALL_SEED)}`);
    } else if (this.config.get('db', { infer: true }).migrateOnBoot) {
      await this.migrate('Schema');
    } else {
      await this.reportPending();
    }
  }

  private async migrate(what: string): Promise<void> {
    const applied = await applyPendingMigrations(this.dataSource);
    this.logger.log(
      applied.length === 0
        ? `${what}: up to date, no pending migrations`
        : `${what}: applied ${applied.length} migration(s) at boot: ${applied.join(', ')}`,
    );
  }

  private async reportPending(): Promise<void> {
    const pending = await pendingMigrations(this.dataSource);
    if (pending.length === 0) return;
    this.logger.error(
      `SCHEMA OUT OF DATE: ${pending.length} pending migration(s) not applied at boot: ${pending.join(', ')}. ` +
        'This instance stays unready (/health/ready 503) until `npm run migration:run` applies them.',
    );
  }
}
