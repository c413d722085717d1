// The backup directory: durable writes (write to .partial, fsync, rename, fsync the directory),
// retention and cleanup of one base name, checksums of files, the status file.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  dumpTime,
  manifestFileName,
  STATUS_FORMAT_VERSION,
  statusFileName,
} from '../../../dist/libs/monitoring/src/backup/backup-files.js';

export const PARTIAL = '.partial';

async function fsyncPath(path) {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** `partial` becomes `final` only once its bytes are on disk, and the rename itself is made durable. */
export async function commitFile(partial, final, dir) {
  await fsyncPath(partial);
  await rename(partial, final);
  await fsyncPath(dir);
}

export async function writeFileDurably(dir, fileName, text) {
  const final = join(dir, fileName);
  const partial = `${final}${PARTIAL}`;
  await writeFile(partial, text, { mode: 0o600 });
  await commitFile(partial, final, dir);
}

export async function readJson(path) {
  return JSON.parse(await readFile(path, 'utf8'));
}

export async function sha256(path) {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk);
  return hash.digest('hex');
}

export async function fileSize(path) {
  return (await stat(path)).size;
}

export async function ensureDir(dir) {
  await mkdir(dir, { recursive: true, mode: 0o700 });
}

/** Dumps of exactly `base` in `dir`, newest first: `[{ file, at }]`. */
export async function listDumps(dir, base) {
  const names = await readdir(dir);
  return names
    .map((file) => ({ file, at: dumpTime(base, file) }))
    .filter((d) => d.at !== null)
    .sort((a, b) => b.at.getTime() - a.at.getTime());
}

/**
 * Removes what runs of `base` left behind: `.partial` files (a killed or failed run; the caller
 * holds the base's lock, so none is being written) and manifests whose dump is gone. Answers the
 * names removed. Other bases' files are never touched: their runs may be live.
 */
export async function removeStale(dir, base) {
  const names = new Set(await readdir(dir));
  const dumps = new Set((await listDumps(dir, base)).map((d) => d.file));
  const ours = (name) => name.startsWith(`${base}_`) || name === `${statusFileName(base)}${PARTIAL}`;
  const stale = [...names].filter((name) => {
    if (!ours(name)) return false;
    if (name.endsWith(PARTIAL)) return true;
    return name.endsWith('.manifest.json') && !dumps.has(name.replace(/\.manifest\.json$/, '.dump'));
  });
  for (const name of stale) await rm(join(dir, name), { force: true });
  return stale;
}

/** Keeps the newest `keep` dumps of `base` (with their manifests); answers `{ kept, removed }`. */
export async function applyRetention(dir, base, keep) {
  const dumps = await listDumps(dir, base);
  const old = dumps.slice(keep);
  for (const { file } of old) {
    await rm(join(dir, file), { force: true });
    await rm(join(dir, manifestFileName(file)), { force: true });
  }
  return { kept: dumps.length - old.length, removed: old.length };
}

/** Copies `files` from `dir` to `copyDir`, each through a .partial, then applies the same retention there. */
export async function copyTo(copyDir, dir, files, base, keep) {
  await ensureDir(copyDir);
  await removeStale(copyDir, base);
  for (const file of files) {
    const partial = join(copyDir, `${file}${PARTIAL}`);
    await copyFile(join(dir, file), partial);
    await commitFile(partial, join(copyDir, file), copyDir);
  }
  return applyRetention(copyDir, base, keep);
}

/** Reads, changes and durably rewrites `<base>.status.json`; `change` gets the current status. */
export async function updateStatus(dir, base, { database, cluster }, change) {
  const path = join(dir, statusFileName(base));
  let status;
  try {
    status = await readJson(path);
  } catch {
    status = null;
  }
  if (status?.version !== STATUS_FORMAT_VERSION) {
    status = {
      version: STATUS_FORMAT_VERSION,
      database,
      cluster,
      lastBackup: null,
      lastFailure: null,
      lastVerification: null,
      lastVerifiedAt: null,
    };
  }
  change(status);
  await writeFileDurably(dir, statusFileName(base), `${JSON.stringify(status, null, 2)}\n`);
}
