import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { open, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../../..');
const BUILT = join(ROOT, 'dist/libs/monitoring/src/backup/backup-files.js');

export interface ScriptRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `node scripts/<script>` (npm run backup / backup:verify without the build) with `env` over this process's. */
export function runBackupScript(
  script: 'backup.mjs' | 'backup-verify.mjs',
  env: Record<string, string>,
  args: string[] = [],
) {
  if (!existsSync(BUILT))
    throw new Error('the backup scripts import the built app: run `npx nest build` first (npm test does)');
  return new Promise<ScriptRun>((done) => {
    execFile(
      process.execPath,
      [join(ROOT, 'scripts', script), ...args],
      { cwd: ROOT, env: { ...process.env, ...env }, timeout: 120_000 },
      (err, stdout, stderr) => done({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- manifests and status files are checked field by field
export async function readJsonFile(path: string): Promise<any> {
  return JSON.parse(await readFile(path, 'utf8'));
}

export async function writeJsonFile(path: string, value: unknown): Promise<void> {
  await writeFile(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** Overwrites `length` bytes at half the file's length with a pattern no compressor writes. */
export async function overwriteMiddle(path: string, length = 4096): Promise<void> {
  const { size } = await stat(path);
  const handle = await open(path, 'r+');
  try {
    await handle.write(Buffer.alloc(length, 0xa5), 0, length, Math.floor(size / 2));
  } finally {
    await handle.close();
  }
}

export async function filesIn(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort();
}

/** The last line a script printed: its one-line summary. */
export function summaryLine(run: ScriptRun): string {
  return run.stdout.trim().split('\n').at(-1) ?? '';
}
