import {
  CannotExecuteNotConnectedError,
  CannotGetEntityManagerNotConnectedError,
  ConnectionIsNotSetError,
  QueryRunnerAlreadyReleasedError,
  QueryRunnerProviderAlreadyReleasedError,
} from 'typeorm';

// THE list of errors that mean "PostgreSQL cannot be reached, or our pool is closing", as opposed to
// a query PostgreSQL rejected. The breaker (database.service.ts) and the HTTP error mapping
// (apps/api error-envelope.ts) both read it: such an error is 503 + Retry-After, never 500.
// connection-errors.spec.ts holds one real example of each shape; add the shape there too.

// TypeORM, when the connection under a query runner or the data source is gone (shutdown, a cut session).
const TYPEORM_CLASSES = [
  QueryRunnerAlreadyReleasedError,
  QueryRunnerProviderAlreadyReleasedError,
  CannotExecuteNotConnectedError,
  ConnectionIsNotSetError,
  CannotGetEntityManagerNotConnectedError,
];
// Node's socket errors.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
]);
// SQLSTATE class 08 (connection exception); 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot
// connect now (starting up, shutting down); 53300 too many connections.
const SQLSTATE = /^(08...|57P0[1-3]|53300)$/;
// pg and pg-pool say these with no code; the last is DatabaseService's own, for a closed data source.
const MESSAGES = new RegExp(
  [
    'Connection terminated', // "…unexpectedly", "…due to connection timeout", or plain while ending
    'timeout exceeded when trying to connect',
    'Query read timeout',
    'Connection closed',
    'Cannot use a pool after calling end on the pool',
    'is not queryable', // "Client was closed and…", "Client has encountered a connection error and…"
    'The database is not connected',
  ].join('|'),
  'i',
);
// Capacity, not an outage: pg-pool says this both when a new connection times out and when every
// pooled connection is busy, and 53300 means PostgreSQL is up but full. They answer 503 but do not
// open the breaker (that would turn load into a full outage).
const CAPACITY_MESSAGES = /timeout exceeded when trying to connect/i;
const CAPACITY_CODES = new Set(['53300']);

function codeOf(err: object): unknown {
  return (err as { code?: unknown }).code;
}

/** The error and what it wraps (TypeORM's `driverError`, `cause`), a few levels deep. */
function* chain(err: unknown): Generator<object> {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    yield e;
    e = (e as { driverError?: unknown }).driverError ?? (e as { cause?: unknown }).cause;
  }
}

function matchesConnection(e: object): boolean {
  if (TYPEORM_CLASSES.some((type) => e instanceof type)) return true;
  const code = codeOf(e);
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || SQLSTATE.test(code))) return true;
  const message = (e as { message?: unknown }).message;
  return typeof message === 'string' && MESSAGES.test(message);
}

function matchesCapacity(e: object): boolean {
  const code = codeOf(e);
  const message = (e as { message?: unknown }).message;
  return (
    (typeof code === 'string' && CAPACITY_CODES.has(code)) ||
    (typeof message === 'string' && CAPACITY_MESSAGES.test(message))
  );
}

/** True when the error means the database is down, unreachable, full or closing: answer 503, never 500. */
export function isConnectionError(err: unknown): boolean {
  for (const e of chain(err)) if (matchesConnection(e)) return true;
  return false;
}

/** True when the error should count towards opening the breaker: the database itself is failing. */
export function isOutageError(err: unknown): boolean {
  if (!isConnectionError(err)) return false;
  for (const e of chain(err)) if (matchesCapacity(e)) return false;
  return true;
}
