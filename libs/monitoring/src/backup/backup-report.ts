import type { BackupStatus } from './backup-files';
import type { BackupHealthDto } from './backup-health.dto';

/** What reading the status file gave: the status, or why there is none. */
export type BackupStatusRead = { status: BackupStatus } | { status: null; reason: string };

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

function ago(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s ago`;
  if (seconds < 2 * 3600) return `${Math.round(seconds / 60)} min ago`;
  return `${(seconds / 3600).toFixed(1)} h ago`;
}

const ageOf = (iso: string, now: Date) => Math.max(0, (now.getTime() - Date.parse(iso)) / 1000);

/** The backup part of /api/monitoring/database/health, from the status file's contents. */
export function backupReport(read: BackupStatusRead, now: Date): BackupHealthDto {
  if (read.status === null) {
    return { status: 'none', message: `no backup recorded (${read.reason})`, lastVerifiedAt: null };
  }
  const { lastBackup, lastFailure, lastVerification, lastVerifiedAt } = read.status;
  const parts: string[] = [];
  let status: BackupHealthDto['status'];
  if (!lastBackup) {
    status = lastFailure ? 'failing' : 'none';
    parts.push('no backup recorded');
  } else {
    const age = ageOf(lastBackup.finishedAt, now);
    parts.push(`last backup ${ago(age)} (${mib(lastBackup.sizeBytes)}, ${lastBackup.tables} tables)`);
    const verifiedThis = lastVerification?.file === lastBackup.file;
    if (lastFailure || lastVerification?.ok === false) status = 'failing';
    else status = verifiedThis ? 'ok' : 'unverified';
    if (!lastVerification) parts.push('not verified yet');
    else if (!lastVerification.ok)
      parts.push(`verification of ${lastVerification.file} failed: ${lastVerification.message}`);
    else
      parts.push(
        verifiedThis ? `verified ${ago(ageOf(lastVerification.at, now))}` : 'the newest dump is not verified yet',
      );
  }
  if (lastFailure) parts.push(`a backup failed ${ago(ageOf(lastFailure.at, now))}: ${lastFailure.message}`);
  const report: BackupHealthDto = { status, message: parts.join('; '), lastVerifiedAt };
  if (lastBackup) {
    const { file, finishedAt, sizeBytes, durationSeconds, tables, rows } = lastBackup;
    const ageSeconds = Math.round(ageOf(finishedAt, now));
    report.lastBackup = { file, finishedAt, ageSeconds, sizeBytes, durationSeconds, tables, rows };
  }
  if (lastFailure) report.lastFailure = lastFailure;
  if (lastVerification) report.lastVerification = lastVerification;
  return report;
}
