// Errors that mean "PostgreSQL is unreachable", as opposed to a query that PostgreSQL rejected.
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);
// SQLSTATE class 08 (connection exception) and 57P0x (admin shutdown, crash shutdown, cannot connect now).
const SQLSTATE = /^(08...|57P0[1-3])$/;
const MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Connection closed/i;
// pg-pool says this both when a new connection times out and when every pooled connection is busy:
// the second is load, not an outage, so it answers 503 but does not open the breaker.
const POOL_WAIT = /timeout exceeded when trying to connect/i;

function codeOf(err: object): unknown {
  return (err as { code?: unknown }).code;
}

/** True when the error means the database is down or unreachable (counts against the breaker). */
export function isConnectionError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const code = codeOf(e);
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || SQLSTATE.test(code))) return true;
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string' && MESSAGES.test(message)) return true;
    e = (e as { driverError?: unknown; cause?: unknown }).driverError ?? (e as { cause?: unknown }).cause;
  }
  return false;
}

/** True when the error should count towards opening the breaker: the database itself is failing. */
export function isOutageError(err: unknown): boolean {
  const message = (err as { message?: unknown } | null)?.message;
  return isConnectionError(err) && !(typeof message === 'string' && POOL_WAIT.test(message));
}
