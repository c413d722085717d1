import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import {
  filesIn,
  overwriteMiddle,
  readJsonFile,
  runBackupScript,
  summaryLine,
  writeJsonFile,
  type ScriptRun,
} from './support/backup-scripts';
import type { TestApp } from './support/test-app';

// Config is read when the app module is first imported: BACKUP_DIR must be set before the imports below.
const root = join(tmpdir(), `prepnexus-backup-e2e-${process.pid}`);
const APP_DIR = join(root, 'app');
process.env.BACKUP_DIR = APP_DIR;

const DB = process.env.DB_NAME!;
const BASE = `${DB}@${process.env.DB_HOST}-${process.env.DB_PORT}`;
const SCRATCH_DB = process.env.BACKUP_VERIFY_DB_NAME ?? `${DB}_verify`;
// Verification creates its scratch database: as the superuser here (the app's role may lack CREATEDB).
const VERIFY = {
  BACKUP_VERIFY_USER: process.env.PGSUPERUSER ?? 'postgres',
  BACKUP_VERIFY_PASSWORD: process.env.PGPASSWORD ?? '',
  BACKUP_VERIFY_DB_NAME: SCRATCH_DB,
};

const backup = (dir: string, env: Record<string, string> = {}) =>
  runBackupScript('backup.mjs', { BACKUP_DIR: dir, ...env });
const verify = (dir: string) => runBackupScript('backup-verify.mjs', { BACKUP_DIR: dir, ...VERIFY });
const dumpsIn = async (dir: string) => (await filesIn(dir)).filter((f) => f.endsWith('.dump'));
const output = (run: ScriptRun) => `${run.stdout}\n${run.stderr}`;

describe('Backups (npm run backup, npm run backup:verify)', () => {
  let app: TestApp;
  let ds: DataSource;
  let dump: string;

  const manifestOf = (dir: string, file = dump) => join(dir, file.replace(/\.dump$/, '.manifest.json'));
  const scratchExists = async () =>
    (await ds.query<unknown[]>('SELECT 1 FROM pg_database WHERE datname = $1', [SCRATCH_DB])).length > 0;

  /** A directory holding a copy of the app directory's dump and manifest, as a second environment would. */
  async function dirWithDump(name: string): Promise<string> {
    const dir = join(root, name);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    await copyFile(join(APP_DIR, dump), join(dir, dump));
    await copyFile(manifestOf(APP_DIR), manifestOf(dir));
    return dir;
  }

  beforeAll(async () => {
    const { TestApp } = await import('./support/test-app');
    const { FULL_SEED, seedDatabase } = await import('../../../migrations/seed/seed');
    app = await TestApp.start();
    await app.truncate();
    ds = app.app.get(DataSource);
    await seedDatabase(ds, FULL_SEED);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('should dump a seeded database, verify it by restoring, and record both', async () => {
    const copyDir = join(root, 'copy');
    const made = await backup(APP_DIR, { BACKUP_COPY_DIR: copyDir });
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    expect(summaryLine(made)).toMatch(
      /^backup ok: \S+\.dump [\d.]+ KiB, 9 tables, 71,251 rows in [\d.]+ s; kept 1 of /,
    );

    [dump] = await dumpsIn(APP_DIR);
    expect(dump).toMatch(new RegExp(`^${BASE.replace(/\./g, '\\.')}_\\d{8}T\\d{6}Z\\.dump$`));
    const manifest = await readJsonFile(manifestOf(APP_DIR));
    expect(manifest.tables).toContainEqual({
      schema: 'public',
      name: 'articles',
      rows: 10_000,
      checksum: expect.any(String),
    });
    expect(await filesIn(copyDir)).toEqual([dump, dump.replace(/\.dump$/, '.manifest.json')]);

    const checked = await verify(APP_DIR);
    expect(checked.stderr).toBe('');
    expect(checked.code).toBe(0);
    expect(summaryLine(checked)).toMatch(/^verify ok: \S+ 9 tables, 71,251 rows: row counts and checksums match/);
    expect((await readJsonFile(manifestOf(APP_DIR))).verification).toEqual(expect.objectContaining({ ok: true }));
    expect(await scratchExists()).toBe(false);
  }, 60_000);

  it('should show the last backup and its verification on /api/monitoring/database/health and /metrics', async () => {
    const status = await readJsonFile(join(APP_DIR, `${BASE}.status.json`));
    const health = await app.call('get', '/api/monitoring/database/health');
    expect(health.body.backup).toEqual({
      status: 'ok',
      message: expect.stringMatching(/^last backup \d+ s ago \([\d.]+ MiB, 9 tables\); verified \d+ s ago$/),
      lastBackup: {
        file: dump,
        finishedAt: status.lastBackup.finishedAt,
        ageSeconds: expect.any(Number),
        sizeBytes: status.lastBackup.sizeBytes,
        durationSeconds: expect.any(Number),
        tables: 9,
        rows: 71_251,
      },
      lastVerification: {
        file: dump,
        at: status.lastVerifiedAt,
        ok: true,
        durationSeconds: expect.any(Number),
        message: expect.any(String),
      },
      lastVerifiedAt: status.lastVerifiedAt,
    });

    const metrics = (await request(app.server).get('/metrics')).text;
    const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1]);
    expect(value('pn_backup_last_success_timestamp_seconds')).toBe(Date.parse(status.lastBackup.finishedAt) / 1000);
    expect(value('pn_backup_last_size_bytes')).toBe(status.lastBackup.sizeBytes);
    expect(value('pn_backup_last_verified_timestamp_seconds')).toBe(Date.parse(status.lastVerifiedAt) / 1000);
    expect(value('pn_backup_last_verify_ok')).toBe(1);
  });

  it('should reject a dump with 4 KiB overwritten at half its length', async () => {
    const dir = await dirWithDump('corrupt');
    await overwriteMiddle(join(dir, dump));

    const checked = await verify(dir);
    expect(checked.code).toBe(4);
    expect(summaryLine(checked)).toMatch(
      /^verify FAILED: \S+ rejected: file sha256 differs from the manifest .*; pg_restore failed/,
    );
    const status = await readJsonFile(join(dir, `${BASE}.status.json`));
    expect(status.lastVerification).toEqual(expect.objectContaining({ file: dump, ok: false }));
    expect(status.lastVerifiedAt).toBeNull();
    expect(await scratchExists()).toBe(false);
  }, 60_000);

  it('should reject the corrupted dump by restoring it, also when the manifest matches its bytes', async () => {
    // As if pg_dump itself had written the bad bytes: only the restore and the comparison can tell.
    const dir = await dirWithDump('corrupt-at-source');
    await overwriteMiddle(join(dir, dump));
    const manifest = await readJsonFile(manifestOf(dir));
    const sha256 = createHash('sha256')
      .update(await readFile(join(dir, dump)))
      .digest('hex');
    await writeJsonFile(manifestOf(dir), { ...manifest, sha256 });

    const checked = await verify(dir);
    expect(checked.code).toBe(4);
    expect(output(checked)).not.toContain('sha256 differs');
    expect(output(checked)).toMatch(/pg_restore failed|rows restored/);
  }, 60_000);

  it('should reject a dump whose restored rows or contents differ from what was recorded at dump time', async () => {
    const dir = await dirWithDump('different-rows');
    const manifest = await readJsonFile(manifestOf(dir));
    const tables = manifest.tables.map((t: { name: string; rows: number; checksum: string }) =>
      t.name === 'articles'
        ? { ...t, rows: t.rows + 1 }
        : t.name === 'users'
          ? { ...t, checksum: `${t.checksum}0` }
          : t,
    );
    await writeJsonFile(manifestOf(dir), { ...manifest, tables });

    const checked = await verify(dir);
    expect(checked.code).toBe(4);
    expect(summaryLine(checked)).toContain(
      'rejected: public.articles: 10000 rows restored, 10001 dumped; public.users: content checksum differs',
    );
  }, 60_000);

  it('should keep BACKUP_KEEP dumps of its own database and cluster only, and remove its stale .partial files', async () => {
    const dir = join(root, 'retention');
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const ours = (stamp: string) => `${BASE}_${stamp}.dump`;
    const others = [`otherdb@${BASE.split('@')[1]}_20200101T000000Z.dump`, `${DB}@other-cluster_20200101T000000Z.dump`];
    const left = [ours('20200101T000000Z'), ours('20200102T000000Z'), ours('20200103T000000Z'), ...others];
    for (const file of left) {
      await writeFile(join(dir, file), 'old');
      await writeFile(manifestOf(dir, file), '{}');
    }
    const stale = [`${ours('20200104T000000Z')}.partial`, `${BASE}_orphan.manifest.json`];
    const othersPartial = `${others[1]}.partial`;
    for (const file of [...stale, othersPartial]) await writeFile(join(dir, file), 'killed run');

    const made = await backup(dir, { BACKUP_KEEP: '2' });
    expect(made.code).toBe(0);
    expect(made.stdout).toContain(`removed 2 stale file(s)`);
    expect(summaryLine(made)).toContain('kept 2 of');

    const files = await filesIn(dir);
    const [newest] = (await dumpsIn(dir)).filter((f) => f.startsWith(BASE) && !f.includes('2020'));
    expect(files).toEqual(
      [
        newest,
        manifestOf(dir, newest).split('/').at(-1),
        ours('20200103T000000Z'),
        manifestOf(dir, ours('20200103T000000Z')).split('/').at(-1),
        ...others,
        ...others.map((o) => manifestOf(dir, o).split('/').at(-1)),
        othersPartial,
        `${BASE}.status.json`,
      ].sort(),
    );
  }, 60_000);

  it('should report a rejected verification as failing, keeping the time of the last one that passed', async () => {
    const before = await readJsonFile(join(APP_DIR, `${BASE}.status.json`));
    const manifest = await readJsonFile(manifestOf(APP_DIR));
    await writeJsonFile(manifestOf(APP_DIR), { ...manifest, tables: manifest.tables.slice(1) });

    expect((await verify(APP_DIR)).code).toBe(4);
    const health = await app.call('get', '/api/monitoring/database/health');
    expect(health.body.backup).toEqual(
      expect.objectContaining({
        status: 'failing',
        lastVerification: expect.objectContaining({ ok: false }),
        lastVerifiedAt: before.lastVerifiedAt,
      }),
    );
    expect(health.body.backup.message).toContain('in the restored copy but not in the manifest');
    const metrics = (await request(app.server).get('/metrics')).text;
    expect(metrics).toMatch(/^pn_backup_last_verify_ok 0$/m);
    expect(metrics).toContain(`pn_backup_last_verified_timestamp_seconds ${Date.parse(before.lastVerifiedAt) / 1000}`);
  }, 60_000);

  it("should take the checksums in the dump's own snapshot, so writes during the backup never fail verification", async () => {
    const dir = join(root, 'concurrent-writes');
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) await ds.query('INSERT INTO tags (name) VALUES ($1)', [`concurrent-${(written += 1)}`]);
    })();
    const made = await backup(dir).finally(() => (writing = false));
    await writer;

    expect(made.code).toBe(0);
    expect(written).toBeGreaterThan(10);
    const checked = await verify(dir);
    expect(summaryLine(checked)).toMatch(/^verify ok: /);
  }, 60_000);
});
