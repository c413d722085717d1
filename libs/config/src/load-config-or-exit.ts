import type { AppConfig, DatabaseConfig, NodeEnv } from './app-config';
import { ConfigValidationError, loadConfig, loadDatabaseConfig } from './validate-environment';

/**
 * For command-line entry points (TypeORM CLI, seed): a bad configuration ends the process with the
 * same message the app prints at boot, instead of the caller's stack trace around it.
 */
export function loadConfigOrExit(program: string): AppConfig {
  try {
    return loadConfig();
  } catch (err: unknown) {
    if (!(err instanceof ConfigValidationError)) throw err;
    console.error(`${program}: ${err.message}`);
    return process.exit(1);
  }
}

/** `loadConfigOrExit` for commands that only talk to PostgreSQL (migrations, seed): DB_* and NODE_ENV only. */
export function loadDatabaseConfigOrExit(program: string): DatabaseConfig & { env: NodeEnv } {
  try {
    return loadDatabaseConfig();
  } catch (err: unknown) {
    if (!(err instanceof ConfigValidationError)) throw err;
    console.error(`${program}: ${err.message}`);
    return process.exit(1);
  }
}
