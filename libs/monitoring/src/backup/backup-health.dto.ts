import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class LastBackupDto {
  @ApiProperty({ description: 'Dump file name in BACKUP_DIR' }) file!: string;
  @ApiProperty({ format: 'date-time' }) finishedAt!: string;
  @ApiProperty({ description: 'Seconds since it finished' }) ageSeconds!: number;
  @ApiProperty() sizeBytes!: number;
  @ApiProperty() durationSeconds!: number;
  @ApiProperty({ description: 'Tables in the manifest' }) tables!: number;
  @ApiProperty({ description: 'Rows in the manifest, all tables' }) rows!: number;
}

export class BackupFailureDto {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() message!: string;
}

export class BackupVerificationDto {
  @ApiProperty({ description: 'The dump that was restored' }) file!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ description: 'Restored, and every row count and checksum matched the manifest' }) ok!: boolean;
  @ApiProperty() durationSeconds!: number;
  @ApiProperty() message!: string;
}

export class BackupHealthDto {
  @ApiProperty({
    enum: ['ok', 'unverified', 'failing', 'none'],
    description:
      'ok: the last backup restored and matched; unverified: not verified yet; failing: the last backup or verification failed; none: no backup recorded',
  })
  status!: 'ok' | 'unverified' | 'failing' | 'none';
  @ApiProperty({ description: 'One line for a person, e.g. "no backup recorded"' }) message!: string;
  // Absent rather than null: OpenAPI 3.0 cannot mark a $ref nullable without losing its schema.
  @ApiPropertyOptional({ type: LastBackupDto, description: 'The last successful backup; absent when none' })
  lastBackup?: LastBackupDto;
  @ApiPropertyOptional({ type: BackupFailureDto, description: 'A failed backup newer than the last success' })
  lastFailure?: BackupFailureDto;
  @ApiPropertyOptional({ type: BackupVerificationDto, description: 'The last verification, whatever its result' })
  lastVerification?: BackupVerificationDto;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When a verification last passed' })
  lastVerifiedAt!: string | null;
}
