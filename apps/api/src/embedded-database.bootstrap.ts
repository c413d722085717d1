import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DatabaseEndpointProvider } from '@app/database';
import { seedDatabase, SMALL_SEED } from '../../../migrations/seed/seed';

/** The embedded development database migrates and seeds itself, so `npm start` needs nothing else. */
@Injectable()
export class EmbeddedDatabaseBootstrap implements OnModuleInit {
  private readonly logger = new Logger(EmbeddedDatabaseBootstrap.name);

  constructor(
    private readonly endpoint: DatabaseEndpointProvider,
    private readonly dataSource: DataSource,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.endpoint.isEmbedded) return;
    const applied = await this.dataSource.runMigrations({ transaction: 'each' });
    this.logger.log(`Embedded database: ${applied.length} migration(s) applied`);
    const summary = await seedDatabase(this.dataSource, SMALL_SEED);
    this.logger.log(`Embedded database: ${summary}`);
  }
}
