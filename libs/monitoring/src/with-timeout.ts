/** Thrown when a dependency check takes longer than its bound. */
export class CheckTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = 'CheckTimeoutError';
  }
}

/**
 * Settles with `work`, or rejects after `timeoutMs`. The work itself is not cancelled (a pg query
 * cannot be), but it is bounded by the driver's own query timeout; the caller just stops waiting.
 */
export function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimeoutError(timeoutMs)), timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** A short, safe description of why a check failed: error codes and our own messages, never SQL. */
export function describeFailure(err: unknown): string {
  if (err instanceof CheckTimeoutError) return err.message;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return err instanceof Error ? err.message.slice(0, 200) : 'unknown error';
}
