/**
 * The constraint a foreign-key violation (SQLSTATE 23503) hit, or null for any other error. Content
 * written under an article that was deleted after it was looked up (a race with DELETE) fails so.
 */
export function foreignKeyViolation(err: unknown): string | null {
  const driverError = (err as { driverError?: { code?: unknown; constraint?: unknown } } | null)?.driverError;
  const source = driverError ?? (err as { code?: unknown; constraint?: unknown } | null);
  if (source?.code !== '23503') return null;
  return typeof source.constraint === 'string' ? source.constraint : '';
}
