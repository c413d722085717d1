import { ConfigValidationError, type AppConfig } from '@app/config';

const HINT =
  'Check DB_HOST, DB_PORT, DB_NAME, DB_USER and DB_PASSWORD (or, outside production, unset DB_HOST for the embedded database).';

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** One readable paragraph for an operator, instead of a stack trace: what failed and what to check. */
export function describeStartupError(err: unknown, config: AppConfig | null): string {
  if (err instanceof ConfigValidationError) return err.message;
  const where = config ? `PostgreSQL at ${config.db.host}:${config.db.port}/${config.db.name}` : 'PostgreSQL';
  switch (codeOf(err)) {
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EHOSTUNREACH':
    case 'ETIMEDOUT':
      return `cannot reach ${where} (${codeOf(err)}). ${HINT}`;
    case '28P01':
    case '28000':
      return `${where} refused the credentials of "${config?.db.user ?? '?'}". ${HINT}`;
    case '3D000':
      return `${where}: the database does not exist. Create it as a superuser (CREATE DATABASE ${config?.db.name ?? '?'} OWNER ${config?.db.user ?? '?'}). ${HINT}`;
    default:
      return err instanceof Error ? (err.stack ?? err.message) : String(err);
  }
}
