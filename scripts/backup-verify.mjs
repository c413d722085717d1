// npm run backup:verify: restores the newest dump (or --file PATH) into a scratch database and
// compares every table's row count and content checksum with the manifest written at dump time,
// then drops the scratch database and records the result in the manifest and the status file.
// A dump that does not restore, or restores to different rows, is rejected (exit 4).
//
// Settings: those of `npm run backup` (DB_NAME, CLUSTER_NAME, BACKUP_DIR name the dumps), and where
// to restore: BACKUP_VERIFY_HOST/PORT/USER/PASSWORD (default the DB_* server and role, which then
// needs CREATEDB) and BACKUP_VERIFY_DB_NAME (default <DB_NAME>_verify; dropped and recreated).
// Exit codes: 1 configuration, 2 cannot connect to the verify server, 3 no dump to verify, 4 rejected.
import { availableParallelism } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { backupBaseName, manifestFileName } from '../dist/libs/monitoring/src/backup/backup-files.js';
import { fileSize, listDumps, readJson, sha256, updateStatus, writeFileDurably } from './lib/backup/files.mjs';
import { count, humanSize, seconds } from './lib/backup/format.mjs';
import { failureLines, run, tableOfDataLine } from './lib/backup/pg-tools.mjs';
import { BackupError, EXIT, libpqEnv, loadBackupSettings, runProgram } from './lib/backup/settings.mjs';
import { compareTables, connectForChecksums, tableChecksums } from './lib/backup/table-checksums.mjs';

const PROGRAM = 'backup:verify';
// pg_restore's parallel jobs: the restore is most of the time, and scales with cores up to a few.
const RESTORE_JOBS = Math.min(4, availableParallelism());
const SHOWN_PROBLEMS = 5;

async function pickDump(dir, base, fileArg) {
  if (fileArg) return resolve(fileArg);
  const [newest] = await listDumps(dir, base);
  if (!newest) throw new BackupError(`${PROGRAM}: no dump of ${base} in ${dir}; nothing to verify`, EXIT.dump);
  return join(dir, newest.file);
}

/** Runs `work` with the scratch database created empty, and always drops it afterwards. */
async function withScratchDatabase(verify, work) {
  const admin = new pg.Client({ ...verify, database: 'postgres', connectionTimeoutMillis: 10_000 });
  try {
    await admin.connect();
  } catch (err) {
    throw new BackupError(
      `${PROGRAM}: cannot connect to ${verify.user}@${verify.host}:${verify.port}: ${err.message}`,
      EXIT.connect,
    );
  }
  const name = admin.escapeIdentifier(verify.database);
  try {
    // A killed run may have left it: it is ours by name (BACKUP_VERIFY_DB_NAME never equals DB_NAME).
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name} TEMPLATE template0`);
    try {
      return await work();
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  } finally {
    await admin.end().catch(() => undefined);
  }
}

async function restore(verify, dumpPath, tableCount, started) {
  let done = 0;
  const args = [
    '--verbose',
    '--no-owner',
    '--no-privileges',
    '--no-password',
    `--jobs=${RESTORE_JOBS}`,
    `--dbname=${verify.database}`,
    dumpPath,
  ];
  return run('pg_restore', args, libpqEnv({ ...verify, name: verify.database }), (line) => {
    const table = tableOfDataLine(line);
    if (table)
      console.log(`  restore   [${(done += 1)}/${tableCount}] ${table.padEnd(32)} ${seconds(Date.now() - started)}`);
  });
}

/** Every reason to reject the dump; empty when it restored to exactly the rows recorded. */
async function check(verify, dumpPath, manifest, started) {
  const problems = [];
  if ((await sha256(dumpPath)) !== manifest.sha256)
    problems.push('file sha256 differs from the manifest (the dump changed after it was written)');
  const restored = await restore(verify, dumpPath, manifest.tables.length, started);
  if (restored.code !== 0)
    problems.push(`pg_restore failed (exit ${restored.code}): ${failureLines(restored.lines).join(' | ')}`);
  const client = await connectForChecksums(verify);
  try {
    problems.push(...compareTables(manifest.tables, await tableChecksums(client)));
  } finally {
    await client.end();
  }
  return problems;
}

function summarize(problems) {
  const shown = problems.slice(0, SHOWN_PROBLEMS);
  const more = problems.length - shown.length;
  return `${shown.join('; ')}${more > 0 ? `; and ${more} more` : ''}`;
}

async function verifyDump({ db, backup: settings }, base, dumpPath) {
  const started = Date.now();
  const dir = dirname(dumpPath);
  const file = basename(dumpPath);
  const manifest = await readJson(join(dir, manifestFileName(file))).catch(() => null);
  const rows = manifest ? manifest.tables.reduce((sum, t) => sum + t.rows, 0) : 0;
  console.log(
    `${PROGRAM}: ${dumpPath} (${humanSize(await fileSize(dumpPath))}) into scratch database ` +
      `${settings.verify.database} on ${settings.verify.host}:${settings.verify.port}`,
  );
  const problems = manifest
    ? await withScratchDatabase(settings.verify, () => check(settings.verify, dumpPath, manifest, started))
    : [`no manifest ${manifestFileName(file)} beside the dump (nothing to compare with)`];

  const ok = problems.length === 0;
  const durationSeconds = (Date.now() - started) / 1000;
  const message = ok
    ? `${manifest.tables.length} tables, ${count(rows)} rows: row counts and checksums match`
    : `rejected: ${summarize(problems)}`;
  const record = { file, at: new Date().toISOString(), ok, durationSeconds, message };
  if (manifest)
    await writeFileDurably(
      dir,
      manifestFileName(file),
      `${JSON.stringify({ ...manifest, verification: record }, null, 2)}\n`,
    );
  await updateStatus(settings.dir, base, { database: db.name, cluster: settings.cluster }, (status) => {
    status.lastVerification = record;
    if (ok) status.lastVerifiedAt = record.at;
  });
  for (const problem of problems) console.error(`  ${problem}`);
  console.log(`verify ${ok ? 'ok' : 'FAILED'}: ${file} ${message} (${seconds(durationSeconds * 1000)})`);
  return ok ? 0 : EXIT.rejected;
}

await runProgram(async () => {
  const { values } = parseArgs({ options: { file: { type: 'string' } } });
  const settings = loadBackupSettings(PROGRAM);
  const base = backupBaseName(settings.db.name, settings.backup.cluster);
  const dumpPath = await pickDump(settings.backup.dir, base, values.file);
  try {
    return await verifyDump(settings, base, dumpPath);
  } catch (err) {
    // A verification that could not run counts as failed: the alerts must not take silence for success.
    const message = `could not verify: ${err.message}`;
    await updateStatus(
      settings.backup.dir,
      base,
      { database: settings.db.name, cluster: settings.backup.cluster },
      (status) => {
        status.lastVerification = {
          file: basename(dumpPath),
          at: new Date().toISOString(),
          ok: false,
          durationSeconds: 0,
          message,
        };
      },
    ).catch(() => undefined);
    throw err instanceof BackupError ? err : new BackupError(`${PROGRAM}: ${message}`, EXIT.rejected);
  }
});
