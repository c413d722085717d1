/** Thrown when work takes longer than its bound. */
export class TimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = 'TimeoutError';
  }
}

/**
 * Settles with `work`, or rejects with a `TimeoutError` after `timeoutMs`; never leaves a timer
 * behind. The work itself is not cancelled (a pg query or a Redis command cannot be): the caller
 * just stops waiting, and the work stays bounded by its own driver's timeout.
 */
export function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(timeoutMs)), timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
