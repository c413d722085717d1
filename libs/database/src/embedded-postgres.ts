import { Logger } from '@nestjs/common';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DatabaseEndpoint } from './typeorm-options';

/** A running embedded PostgreSQL (PGlite over the wire protocol) and how to stop it. */
export interface EmbeddedPostgres extends DatabaseEndpoint {
  stop(): Promise<void>;
}

/**
 * Starts PGlite (PostgreSQL compiled to WASM) behind pglite-socket, so the `pg` driver, TypeORM and
 * the migrations run unchanged. Development only: it is one session underneath, so a connection
 * waits while another holds a transaction open.
 */
export async function startEmbeddedPostgres(dataDir: string, maxConnections: number): Promise<EmbeddedPostgres> {
  const logger = new Logger('EmbeddedPostgres');
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const db = await PGlite.create(dir);
  // Port 0: the OS picks a free port, so two dev servers never collide.
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
  await server.start();
  const [host, port] = server.getServerConn().split(':');
  logger.warn(
    `EMBEDDED DEVELOPMENT DATABASE: PGlite at ${host}:${port}, data in ${dir}. ` +
      'Set DB_HOST to use a real PostgreSQL server; production never uses this.',
  );
  return {
    host,
    port: Number(port),
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
