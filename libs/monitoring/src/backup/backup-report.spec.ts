import type { BackupStatus } from './backup-files';
import { backupReport } from './backup-report';

const NOW = new Date('2026-01-02T06:00:00.000Z');
const BACKUP = {
  file: 'app@db-5432_20260102T030000Z.dump',
  finishedAt: '2026-01-02T03:00:00.000Z',
  sizeBytes: 3 * 1024 * 1024,
  durationSeconds: 12.5,
  tables: 9,
  rows: 71250,
  copiedTo: null,
};
const PASSED = { file: BACKUP.file, at: '2026-01-02T03:10:00.000Z', ok: true, durationSeconds: 20, message: 'match' };

function status(changes: Partial<BackupStatus>): BackupStatus {
  const none = { lastBackup: null, lastFailure: null, lastVerification: null, lastVerifiedAt: null };
  return { version: 1, database: 'app', cluster: 'db-5432', ...none, ...changes };
}

describe(backupReport.name, () => {
  it('should say "no backup recorded" and why when there is no status', () => {
    expect(backupReport({ status: null, reason: 'BACKUP_DIR is not set' }, NOW)).toEqual({
      status: 'none',
      message: 'no backup recorded (BACKUP_DIR is not set)',
      lastVerifiedAt: null,
    });
  });

  it('should be ok when the last backup is the one that was verified, with its age', () => {
    const sut = backupReport(
      { status: status({ lastBackup: BACKUP, lastVerification: PASSED, lastVerifiedAt: PASSED.at }) },
      NOW,
    );
    expect(sut).toEqual({
      status: 'ok',
      message: 'last backup 3.0 h ago (3.0 MiB, 9 tables); verified 2.8 h ago',
      lastBackup: {
        file: BACKUP.file,
        finishedAt: BACKUP.finishedAt,
        ageSeconds: 3 * 3600,
        sizeBytes: BACKUP.sizeBytes,
        durationSeconds: 12.5,
        tables: 9,
        rows: 71250,
      },
      lastVerification: PASSED,
      lastVerifiedAt: PASSED.at,
    });
  });

  it('should be unverified while the newest dump has not been verified', () => {
    const older = { ...PASSED, file: 'app@db-5432_20260101T030000Z.dump' };
    const sut = backupReport(
      { status: status({ lastBackup: BACKUP, lastVerification: older, lastVerifiedAt: older.at }) },
      NOW,
    );
    expect(sut.status).toBe('unverified');
    expect(sut.message).toContain('the newest dump is not verified yet');
    expect(backupReport({ status: status({ lastBackup: BACKUP }) }, NOW).message).toContain('not verified yet');
  });

  it('should be failing after a rejected verification or a failed backup', () => {
    const rejected = { ...PASSED, ok: false, message: 'rejected: public.users: content checksum differs' };
    const afterReject = backupReport({ status: status({ lastBackup: BACKUP, lastVerification: rejected }) }, NOW);
    expect(afterReject.status).toBe('failing');
    expect(afterReject.message).toContain(`verification of ${BACKUP.file} failed: rejected: public.users`);

    const failure = { at: '2026-01-02T05:59:00.000Z', message: 'backup: pg_dump failed (exit 1)' };
    const afterFailure = backupReport({ status: status({ lastFailure: failure }) }, NOW);
    expect(afterFailure).toEqual({
      status: 'failing',
      message: 'no backup recorded; a backup failed 60 s ago: backup: pg_dump failed (exit 1)',
      lastFailure: failure,
      lastVerifiedAt: null,
    });
  });
});
