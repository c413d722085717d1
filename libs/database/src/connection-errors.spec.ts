import { DatabaseError, Pool } from 'pg';
import {
  CannotExecuteNotConnectedError,
  CannotGetEntityManagerNotConnectedError,
  ConnectionIsNotSetError,
  QueryFailedError,
  QueryRunnerAlreadyReleasedError,
  QueryRunnerProviderAlreadyReleasedError,
} from 'typeorm';
import { isConnectionError, isOutageError } from './connection-errors';

/** An error as PostgreSQL sends it (pg's DatabaseError), with its SQLSTATE. */
function serverError(code: string, message: string): DatabaseError {
  return Object.assign(new DatabaseError(message, message.length, 'error'), { code });
}
/** The same, as TypeORM rethrows it from a repository or query builder. */
const viaTypeorm = (driverError: Error) => new QueryFailedError('INSERT …', [], driverError);
const socketError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code });

/** What pg-pool really throws once `end()` was called (no server needed). */
async function endedPoolError(): Promise<Error> {
  const pool = new Pool({ host: '127.0.0.1', port: 1 });
  await pool.end();
  return pool.query('SELECT 1').then(
    () => new Error('the pool answered'),
    (err: Error) => err,
  );
}

// Each shape that means "unreachable or closing" (503 + Retry-After) and opens the breaker.
const OUTAGES: [string, () => unknown][] = [
  ['TypeORM QueryRunnerAlreadyReleasedError (a write during shutdown)', () => new QueryRunnerAlreadyReleasedError()],
  ['TypeORM QueryRunnerProviderAlreadyReleasedError', () => new QueryRunnerProviderAlreadyReleasedError()],
  ['TypeORM CannotExecuteNotConnectedError', () => new CannotExecuteNotConnectedError()],
  ['TypeORM ConnectionIsNotSetError', () => new ConnectionIsNotSetError('postgres')],
  ['TypeORM CannotGetEntityManagerNotConnectedError', () => new CannotGetEntityManagerNotConnectedError('default')],
  ['pg-pool "Cannot use a pool after calling end on the pool"', endedPoolError],
  ['pg "Connection terminated unexpectedly"', () => new Error('Connection terminated unexpectedly')],
  ['pg "Connection terminated" (while ending)', () => new Error('Connection terminated')],
  [
    'pg-pool "Connection terminated due to connection timeout"',
    () => new Error('Connection terminated due to connection timeout', { cause: new Error('timeout') }),
  ],
  ['pg "Client was closed and is not queryable"', () => new Error('Client was closed and is not queryable')],
  [
    'pg "Client has encountered a connection error and is not queryable"',
    () => new Error('Client has encountered a connection error and is not queryable'),
  ],
  ['pg "Query read timeout"', () => new Error('Query read timeout')],
  [
    'DatabaseService: data source closed',
    () => new Error('The database is not connected (data source not initialized or already closed)'),
  ],
  ['57P01 admin shutdown', () => serverError('57P01', 'terminating connection due to administrator command')],
  ['57P02 crash shutdown', () => serverError('57P02', 'terminating connection because of crash of another')],
  ['57P03 cannot connect now', () => serverError('57P03', 'the database system is shutting down')],
  ['08006 connection failure', () => serverError('08006', 'connection failure')],
  ['57P01 through TypeORM', () => viaTypeorm(serverError('57P01', 'terminating connection'))],
  ['"Connection terminated" through TypeORM', () => viaTypeorm(new Error('Connection terminated unexpectedly'))],
  ['ECONNREFUSED', () => socketError('ECONNREFUSED')],
  ['ECONNRESET', () => socketError('ECONNRESET')],
  ['ETIMEDOUT', () => socketError('ETIMEDOUT')],
  ['EPIPE', () => socketError('EPIPE')],
  ['ENOTFOUND', () => socketError('ENOTFOUND')],
  ['EAI_AGAIN', () => socketError('EAI_AGAIN')],
  ['EHOSTUNREACH', () => socketError('EHOSTUNREACH')],
  ['ENETUNREACH', () => socketError('ENETUNREACH')],
  ['ECONNABORTED', () => socketError('ECONNABORTED')],
  ['ECONNREFUSED inside a cause', () => new Error('connect failed', { cause: socketError('ECONNREFUSED') })],
];

// Capacity: 503, but the database is answering, so the breaker stays closed.
const CAPACITY: [string, () => unknown][] = [
  [
    'pg-pool wait "timeout exceeded when trying to connect"',
    () => new Error('timeout exceeded when trying to connect'),
  ],
  ['53300 too many connections', () => serverError('53300', 'sorry, too many clients already')],
];

// PostgreSQL answering, or a bug: never 503.
const NOT_CONNECTION: [string, () => unknown][] = [
  ['23505 unique violation through TypeORM', () => viaTypeorm(serverError('23505', 'duplicate key value'))],
  ['23503 foreign-key violation', () => viaTypeorm(serverError('23503', 'violates foreign key constraint'))],
  ['57014 statement timeout (a slow query, not a dead server)', () => serverError('57014', 'canceling statement')],
  ['a TypeError', () => new TypeError("Cannot read properties of undefined (reading 'id')")],
  ['a string', () => 'Connection terminated'],
  ['null', () => null],
];

describe(isConnectionError.name, () => {
  it.each([...OUTAGES, ...CAPACITY])('should be true for %s', async (_name, make) => {
    expect(isConnectionError(await make())).toBe(true);
  });

  it.each(NOT_CONNECTION)('should be false for %s', async (_name, make) => {
    expect(isConnectionError(await make())).toBe(false);
  });
});

describe(isOutageError.name, () => {
  it.each(OUTAGES)('should open the breaker for %s', async (_name, make) => {
    expect(isOutageError(await make())).toBe(true);
  });

  it.each([...CAPACITY, ...NOT_CONNECTION])('should not open the breaker for %s', async (_name, make) => {
    expect(isOutageError(await make())).toBe(false);
  });
});
