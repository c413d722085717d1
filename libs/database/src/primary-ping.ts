import { performance } from 'node:perf_hooks';
import type { Pool, QueryConfig } from 'pg';

/** A ping that did not answer in time: PostgreSQL hung, or a connection could not be made. */
export class PingTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`PostgreSQL did not answer within ${timeoutMs} ms`);
    this.name = PingTimeoutError.name;
  }
}

/**
 * `SELECT 1` on the pool, in milliseconds; rejects when PostgreSQL is down or slower than `timeoutMs`
 * (connecting included: pg's own `query_timeout` starts only once a connection is handed out). A pooled
 * connection the server cut is dropped by `pg` when it fails, so the next ping connects afresh. A ping
 * given up on still holds its connection attempt until the pool's `connectionTimeoutMillis`: callers
 * ping one at a time (BreakerRecovery), so a hung server costs a few pool slots at most.
 */
export async function pingPool(pool: Pool, timeoutMs: number): Promise<number> {
  // pg honours a per-query read timeout (a hung server then frees the connection, which pg drops);
  // its QueryConfig type does not declare it.
  const ping: QueryConfig & { query_timeout: number } = { text: 'SELECT 1', query_timeout: timeoutMs };
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PingTimeoutError(timeoutMs)), timeoutMs).unref();
  });
  try {
    await Promise.race([pool.query(ping), timeout]);
  } finally {
    clearTimeout(timer);
  }
  return performance.now() - started;
}
