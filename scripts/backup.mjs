// npm run backup: a pg_dump -Fc of the configured database (DB_*), with the per-table row counts and
// content checksums of the same snapshot in a manifest beside it, then retention, an optional copy
// and the status file the app reports (/api/monitoring/database/health, /metrics).
//
//   BACKUP_DIR/<db>@<cluster>_<UTC time>.dump           the dump (mode 0600)
//   BACKUP_DIR/<db>@<cluster>_<UTC time>.manifest.json  tables, rows, checksums, sha256 of the dump
//   BACKUP_DIR/<db>@<cluster>.status.json               last backup and verification
//
// Settings (names as in .env.example): DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD, BACKUP_DIR,
// CLUSTER_NAME (default host-port), BACKUP_KEEP (default 7), BACKUP_COPY_DIR (optional).
// Exit codes: 1 configuration, 2 cannot connect, 3 backup failed (nothing kept but the old dumps).
// Check it with `npm run backup:verify`; restore with pg_restore (README, "Backups and restore").
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { clearInterval, setInterval } from 'node:timers';
import { backupBaseName, dumpFileName, manifestFileName } from '../dist/libs/monitoring/src/backup/backup-files.js';
import {
  applyRetention,
  commitFile,
  copyTo,
  ensureDir,
  fileSize,
  PARTIAL,
  removeStale,
  sha256,
  updateStatus,
  writeFileDurably,
} from './lib/backup/files.mjs';
import { count, humanSize, seconds } from './lib/backup/format.mjs';
import { failureLines, run, tableOfDataLine, toolVersion } from './lib/backup/pg-tools.mjs';
import { BackupError, EXIT, libpqEnv, loadBackupSettings, runProgram } from './lib/backup/settings.mjs';
import { connectForChecksums, tableChecksums } from './lib/backup/table-checksums.mjs';

const PROGRAM = 'backup';
const MANIFEST_VERSION = 1;

const INFO_SQL = `
  SELECT current_setting('server_version') AS version, pg_database_size(current_database())::text AS bytes`;

async function connect(db) {
  try {
    return await connectForChecksums({ ...db, database: db.name });
  } catch (err) {
    throw new BackupError(
      `${PROGRAM}: cannot connect to ${db.user}@${db.host}:${db.port}/${db.name}: ${err.message}`,
      EXIT.connect,
    );
  }
}

/** One backup of `base` at a time, wherever it runs: a session advisory lock on the database itself. */
async function lockBase(client, base) {
  const { rows } = await client.query('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok', [
    `prepnexus-backup ${base}`,
  ]);
  if (!rows[0].ok) throw new BackupError(`${PROGRAM}: another backup of ${base} is running; nothing done`, EXIT.dump);
}

/** pg_dump in `snapshot`, with a progress line per table and every 10 s while a big table is in flight. */
async function dump(db, snapshot, partial, started) {
  let tables = 0;
  let lastLine = Date.now();
  const written = async () => humanSize(await fileSize(partial).catch(() => 0));
  const ticker = setInterval(async () => {
    if (Date.now() - lastLine >= 10_000)
      console.log(`  dump      ... ${await written()} written  ${seconds(Date.now() - started)}`);
  }, 10_000);
  const args = [
    '--format=custom',
    '--verbose',
    '--no-password',
    '--lock-wait-timeout=30s',
    `--snapshot=${snapshot}`,
    `--file=${partial}`,
  ];
  try {
    return await run('pg_dump', args, libpqEnv(db), (line) => {
      const table = tableOfDataLine(line);
      if (!table) return;
      tables += 1;
      lastLine = Date.now();
      void written().then((size) =>
        console.log(`  dump      [${tables}] ${table.padEnd(32)} ${size.padStart(10)}  ${seconds(lastLine - started)}`),
      );
    });
  } finally {
    clearInterval(ticker);
  }
}

async function backup({ db, backup: settings }, base) {
  const started = Date.now();
  const dir = settings.dir;
  const client = await connect(db);
  try {
    await lockBase(client, base);
    const stale = await removeStale(dir, base);
    if (stale.length > 0) console.log(`  removed ${stale.length} stale file(s) of an earlier run: ${stale.join(', ')}`);

    const {
      rows: [info],
    } = await client.query(INFO_SQL);
    const file = dumpFileName(base, new Date(started));
    const final = join(dir, file);
    const partial = `${final}${PARTIAL}`;
    if (
      await stat(final).then(
        () => true,
        () => false,
      )
    )
      throw new BackupError(`${PROGRAM}: ${final} already exists`, EXIT.dump);
    console.log(
      `${PROGRAM}: ${db.user}@${db.host}:${db.port}/${db.name} (PostgreSQL ${info.version}, ${humanSize(Number(info.bytes))} on disk) -> ${final}`,
    );

    // The checksums read the snapshot pg_dump imports: both see exactly the same rows.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const {
      rows: [snap],
    } = await client.query('SELECT pg_export_snapshot() AS id, now() AS taken_at');
    let tables;
    let dumped;
    try {
      [dumped, tables] = await Promise.all([
        dump(db, snap.id, partial, started),
        tableChecksums(client, (t) =>
          console.log(`  checksum  ${`${t.schema}.${t.name}`.padEnd(32)} ${count(t.rows).padStart(10)} rows`),
        ),
      ]);
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
    }
    if (dumped.code !== 0) {
      await rm(partial, { force: true });
      throw new BackupError(
        `${PROGRAM}: pg_dump failed (exit ${dumped.code}): ${failureLines(dumped.lines).join(' | ')}; no backup written`,
        EXIT.dump,
      );
    }

    const sizeBytes = await fileSize(partial);
    const rows = tables.reduce((sum, t) => sum + t.rows, 0);
    const manifest = {
      version: MANIFEST_VERSION,
      database: db.name,
      cluster: settings.cluster,
      file,
      takenAt: new Date(snap.taken_at).toISOString(),
      serverVersion: info.version,
      pgDump: await toolVersion('pg_dump'),
      sizeBytes,
      sha256: await sha256(partial),
      checksum: 'per table: count(*) and sum of md5(row::text) first 60 bits, in the dump snapshot',
      tables,
      verification: null,
    };
    // The manifest lands first: a dump under its final name always has one.
    await writeFileDurably(dir, manifestFileName(file), `${JSON.stringify(manifest, null, 2)}\n`);
    await commitFile(partial, final, dir);

    const retention = await applyRetention(dir, base, settings.keep);
    let copy = null;
    if (settings.copyDir)
      copy = await copyTo(settings.copyDir, dir, [file, manifestFileName(file)], base, settings.keep);

    const durationSeconds = (Date.now() - started) / 1000;
    const record = {
      file,
      finishedAt: new Date().toISOString(),
      sizeBytes,
      durationSeconds,
      tables: tables.length,
      rows,
      copiedTo: settings.copyDir,
    };
    await updateStatus(dir, base, { database: db.name, cluster: settings.cluster }, (status) => {
      status.lastBackup = record;
      status.lastFailure = null;
    });
    console.log(
      `backup ok: ${file} ${humanSize(sizeBytes)}, ${tables.length} tables, ${count(rows)} rows in ${seconds(durationSeconds * 1000)}; ` +
        `kept ${retention.kept} of ${base} (BACKUP_KEEP=${settings.keep}), removed ${retention.removed}` +
        (copy ? `; copied to ${settings.copyDir} (kept ${copy.kept}, removed ${copy.removed})` : ''),
    );
    return 0;
  } finally {
    await client.end().catch(() => undefined);
  }
}

await runProgram(async () => {
  const settings = loadBackupSettings(PROGRAM);
  const base = backupBaseName(settings.db.name, settings.backup.cluster);
  try {
    await ensureDir(settings.backup.dir);
  } catch (err) {
    throw new BackupError(`${PROGRAM}: cannot create BACKUP_DIR ${settings.backup.dir}: ${err.message}`, EXIT.config);
  }
  try {
    return await backup(settings, base);
  } catch (err) {
    const message = err instanceof BackupError ? err.message : `${PROGRAM}: ${err.message}`;
    await updateStatus(
      settings.backup.dir,
      base,
      { database: settings.db.name, cluster: settings.backup.cluster },
      (status) => {
        status.lastFailure = { at: new Date().toISOString(), message };
      },
    ).catch(() => undefined);
    throw err instanceof BackupError ? err : new BackupError(message, EXIT.dump);
  }
});
