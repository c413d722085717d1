import type { NodeEnv } from '@app/config';
import { SEED_PASSWORD } from './seed';

export const FORCE_FLAG = '--force';

/**
 * Why the seed must not run here, or null when it may. The seed creates users who all sign in with
 * one published password: on a production database that is an open door, so it needs `--force`.
 */
export function productionSeedRefusal(env: NodeEnv, args: readonly string[]): string | null {
  if (env !== 'production' || args.includes(FORCE_FLAG)) return null;
  return (
    `refusing to seed a production database (NODE_ENV=production): the sample users all sign in with ` +
    `the published password "${SEED_PASSWORD}". Pass ${FORCE_FLAG} to seed it anyway.`
  );
}
