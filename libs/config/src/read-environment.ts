import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';

export type RawEnvironment = Record<string, string | undefined>;

/** Where `.env` is looked for: the working directory, as npm scripts, the CLIs and `docker run` all start there. */
export const ENV_FILE = '.env';

/**
 * The raw variables every entry point validates (the app, the TypeORM CLI, the seed, the scripts):
 * the `.env` file overlaid by the environment, so `PORT=4000 npm start` beats `.env` and an empty
 * `DB_HOST=` in the environment still means "unset". Tests (NODE_ENV=test) set their environment
 * explicitly: a developer's `.env` must not leak into them.
 */
export function readEnvironment(env: RawEnvironment = process.env, file = resolve(ENV_FILE)): RawEnvironment {
  if (env.NODE_ENV === 'test' || !existsSync(file)) return { ...env };
  return { ...parseEnv(readFileSync(file, 'utf8')), ...env };
}
