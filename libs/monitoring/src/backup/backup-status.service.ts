import type { AppConfig } from '@app/config';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { backupBaseName, STATUS_FORMAT_VERSION, statusFileName, type BackupStatus } from './backup-files';
import type { BackupHealthDto } from './backup-health.dto';
import { backupReport, type BackupStatusRead } from './backup-report';

// A scrape reads several backup gauges at once: one file read serves them all.
const READ_REUSE_MS = 1000;

/**
 * The last backup and verification of this deployment's database, as the backup scripts recorded
 * them in BACKUP_DIR/<db>@<cluster>.status.json (see backup-files.ts). Read on demand: the file
 * changes once a day, and a missing or unreadable one is reported, never thrown.
 */
@Injectable()
export class BackupStatusService {
  private readonly path: string | null;
  private cached: { at: number; read: Promise<BackupStatusRead> } | null = null;

  constructor(config: ConfigService<AppConfig, true>) {
    const { dir, cluster } = config.get('backup', { infer: true });
    const database = config.get('db', { infer: true }).name;
    this.path = dir ? join(dir, statusFileName(backupBaseName(database, cluster))) : null;
  }

  read(): Promise<BackupStatusRead> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > READ_REUSE_MS) this.cached = { at: now, read: this.readFile() };
    return this.cached.read;
  }

  async report(now = new Date()): Promise<BackupHealthDto> {
    return backupReport(await this.read(), now);
  }

  private async readFile(): Promise<BackupStatusRead> {
    const path = this.path;
    if (!path) return { status: null, reason: 'BACKUP_DIR is not set' };
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err: unknown) {
      const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
      return { status: null, reason: missing ? `no ${path} yet` : `cannot read ${path}: ${(err as Error).message}` };
    }
    try {
      const status = JSON.parse(text) as BackupStatus;
      if (status.version !== STATUS_FORMAT_VERSION) return { status: null, reason: `${path}: unknown format` };
      return { status };
    } catch {
      return { status: null, reason: `${path} is not JSON` };
    }
  }
}
