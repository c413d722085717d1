import { Gauge, type Registry } from 'prom-client';
import type { BackupStatus } from '../backup/backup-files';
import type { BackupStatusService } from '../backup/backup-status.service';

const seconds = (iso: string | null | undefined) => (iso ? Date.parse(iso) / 1000 : 0);

/**
 * Registers the `pn_backup_*` gauges, read from the backup status file at scrape time. With no
 * backup recorded they are 0: "last success at 1970" makes a backup-age alert fire, as it should.
 */
export function registerBackupMetrics(registry: Registry, backups: BackupStatusService): void {
  const gauge = (name: string, help: string, value: (status: BackupStatus) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const read = await backups.read();
        this.set(read.status ? value(read.status) : 0);
      },
    });
  gauge(
    'pn_backup_last_success_timestamp_seconds',
    'When the last successful backup finished (0: none recorded)',
    (s) => seconds(s.lastBackup?.finishedAt),
  );
  gauge('pn_backup_last_size_bytes', 'Size of the last successful backup', (s) => s.lastBackup?.sizeBytes ?? 0);
  gauge(
    'pn_backup_last_duration_seconds',
    'How long the last successful backup took',
    (s) => s.lastBackup?.durationSeconds ?? 0,
  );
  gauge(
    'pn_backup_last_verified_timestamp_seconds',
    'When a restore of a backup last matched its manifest (0: never)',
    (s) => seconds(s.lastVerifiedAt),
  );
  gauge('pn_backup_last_verify_ok', 'Result of the last verification: 1 matched, 0 rejected, failed or none', (s) =>
    s.lastVerification?.ok ? 1 : 0,
  );
  gauge(
    'pn_backup_last_failure_timestamp_seconds',
    'When a backup last failed, if after the last success (0: none)',
    (s) => seconds(s.lastFailure?.at),
  );
}
