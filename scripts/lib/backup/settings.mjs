// The backup scripts' configuration: the app's own loader and validator (libs/config, built), given
// only the database and backup variables, so a backup needs no JWT secret, Redis or CORS settings
// even in production. `.env` in the working directory fills in what the environment does not set.
import { readEnvironment } from '../../../dist/libs/config/src/read-environment.js';
import { ConfigValidationError, validateEnvironment } from '../../../dist/libs/config/src/validate-environment.js';

const NAMES = /^(DB_(HOST|PORT|NAME|USER|PASSWORD|CONNECT_TIMEOUT_MS)|BACKUP_\w+|CLUSTER_NAME)$/;

/** Thrown with the one line (or the list of problems) a person reads; exits with `exitCode`. */
export class BackupError extends Error {
  constructor(message, exitCode) {
    super(message);
    this.exitCode = exitCode;
  }
}

export const EXIT = { config: 1, connect: 2, dump: 3, rejected: 4 };

/** `{ db, backup }` of AppConfig; throws a BackupError naming every bad or missing variable. */
export function loadBackupSettings(program, env = process.env) {
  const raw = Object.fromEntries(Object.entries(readEnvironment(env)).filter(([name]) => NAMES.test(name)));
  let config;
  try {
    config = validateEnvironment(raw);
  } catch (err) {
    if (!(err instanceof ConfigValidationError)) throw err;
    throw new BackupError(`${program}: ${err.message}`, EXIT.config);
  }
  // Without DB_HOST the app falls back to an embedded database; a backup must name its server.
  const missing = ['DB_HOST', 'DB_USER', 'BACKUP_DIR'].filter((name) => !raw[name]);
  if (missing.length > 0) {
    throw new BackupError(
      `${program}: not configured: ${missing.join(', ')} must be set (see .env.example)`,
      EXIT.config,
    );
  }
  return { db: config.db, backup: config.backup };
}

/** libpq's variables for pg_dump / pg_restore: nothing secret on a command line (visible in ps). */
export function libpqEnv({ host, port, user, password, name }) {
  const env = { ...process.env, PGHOST: host, PGPORT: String(port), PGUSER: user, PGDATABASE: name };
  env.PGCONNECT_TIMEOUT ??= '10';
  env.PGAPPNAME = 'prepnexus-backup';
  if (password) env.PGPASSWORD = password;
  else delete env.PGPASSWORD;
  return env;
}

/** Runs `main` and turns a BackupError into its message and exit code (anything else: a stack, exit 1). */
export async function runProgram(main) {
  // Dumps hold every user's data: readable by their owner only (pg_dump creates files with the umask).
  process.umask(0o077);
  try {
    process.exitCode = await main();
  } catch (err) {
    if (!(err instanceof BackupError)) throw err;
    console.error(err.message);
    process.exitCode = err.exitCode;
  }
}
