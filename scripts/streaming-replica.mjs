// A private PostgreSQL primary with a streaming replica, on free ports (never the shared server).
//   node scripts/streaming-replica.mjs check   builds the pair, proves a write reaches the replica, removes it
// The e2e specs build their pairs with the same code (scripts/lib/postgres-cluster.mjs).
import pg from 'pg';
import { createStreamingPair } from './lib/postgres-cluster.mjs';

async function check() {
  const started = Date.now();
  const pair = await createStreamingPair();
  const primary = new pg.Client({ host: '127.0.0.1', port: pair.primary.port, user: 'postgres', database: 'postgres' });
  const replica = new pg.Client({ host: '127.0.0.1', port: pair.replica.port, user: 'postgres', database: 'postgres' });
  try {
    await primary.connect();
    await replica.connect();
    const { rows: standby } = await replica.query('SELECT pg_is_in_recovery() AS standby');
    if (!standby[0].standby) throw new Error('the replica is not in recovery');
    await primary.query('CREATE TABLE replication_check (id int)');
    await primary.query('INSERT INTO replication_check VALUES (42)');
    const { rows: lsn } = await primary.query('SELECT pg_current_wal_insert_lsn()::text AS lsn');
    const deadline = Date.now() + 10_000;
    for (;;) {
      const { rows } = await replica.query('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS caught_up', [lsn[0].lsn]);
      if (rows[0].caught_up) break;
      if (Date.now() > deadline) throw new Error('the replica did not replay the write within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const { rows } = await replica.query('SELECT id FROM replication_check');
    if (rows[0]?.id !== 42) throw new Error('the replica does not show the write');
    console.log(
      `Streaming replica OK: primary :${pair.primary.port}, replica :${pair.replica.port}, ` +
        `write replayed at ${lsn[0].lsn} (${Date.now() - started} ms in all)`,
    );
  } finally {
    await primary.end().catch(() => undefined);
    await replica.end().catch(() => undefined);
    await pair.destroy();
  }
}

const [command] = process.argv.slice(2);
if (command !== 'check') {
  console.error('usage: node scripts/streaming-replica.mjs check');
  process.exit(2);
}
check().catch((err) => {
  console.error(`Streaming replica check FAILED: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
