// The backup directory's layout and status file: written by scripts/backup.mjs and backup-verify.mjs
// (which import this module from dist/), read by the app for /api/monitoring/database/health and
// /metrics. One definition for both sides.
//
//   <base>_<UTC timestamp>.dump           pg_dump -Fc of one database of one cluster
//   <base>_<UTC timestamp>.manifest.json  per-table row counts and checksums taken in the dump's snapshot
//   <base>.status.json                    the last backup and verification of <base>
// where <base> is `<database>@<cluster>`: a database name cannot contain '@' and a cluster name
// (CLUSTER_NAME) contains only letters, digits, '.' and '-', so two environments never share a base.

export const STATUS_FORMAT_VERSION = 1;

export interface BackupRecord {
  /** File name of the dump, in the backup directory. */
  file: string;
  finishedAt: string;
  sizeBytes: number;
  durationSeconds: number;
  tables: number;
  rows: number;
  /** Where the copy went (BACKUP_COPY_DIR), or null. */
  copiedTo: string | null;
}

export interface VerificationRecord {
  file: string;
  at: string;
  ok: boolean;
  durationSeconds: number;
  /** One line: what matched, or every reason it was rejected. */
  message: string;
}

export interface BackupStatus {
  version: typeof STATUS_FORMAT_VERSION;
  database: string;
  cluster: string;
  /** The last successful backup. */
  lastBackup: BackupRecord | null;
  /** The last failed backup, when it is newer than the last successful one. */
  lastFailure: { at: string; message: string } | null;
  /** The last verification, whatever its result. */
  lastVerification: VerificationRecord | null;
  /** When a verification last passed (what "verified backup age" alerts look at). */
  lastVerifiedAt: string | null;
}

const TIMESTAMP = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

export function backupBaseName(database: string, cluster: string): string {
  return `${database}@${cluster}`;
}

/** `20260102T030405Z`: sorts as text in time order, and has no ':' (file systems, object stores). */
export function fileTimestamp(at: Date): string {
  return at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

export function dumpFileName(base: string, at: Date): string {
  return `${base}_${fileTimestamp(at)}.dump`;
}

/** The time in a dump's name when the file is a dump of exactly `base`; null for anything else. */
export function dumpTime(base: string, fileName: string): Date | null {
  const prefix = `${base}_`;
  if (!fileName.startsWith(prefix) || !fileName.endsWith('.dump')) return null;
  const match = TIMESTAMP.exec(fileName.slice(prefix.length, -'.dump'.length));
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match;
  return new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`);
}

export function manifestFileName(dumpFile: string): string {
  return dumpFile.replace(/\.dump$/, '.manifest.json');
}

export function statusFileName(base: string): string {
  return `${base}.status.json`;
}
