import { TimeoutError } from '@app/redis';

// One timeout helper for the whole app; the monitoring checks use it through this file.
export { withTimeout } from '@app/redis';

/** A short, safe description of why a check failed: error codes and our own messages, never SQL. */
export function describeFailure(err: unknown): string {
  if (err instanceof TimeoutError) return err.message;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return err instanceof Error ? err.message.slice(0, 200) : 'unknown error';
}
