/** The constraint a unique violation (SQLSTATE 23505) hit, or null for any other error. */
export function uniqueViolation(err: unknown): string | null {
  const driverError = (err as { driverError?: { code?: unknown; constraint?: unknown } } | null)?.driverError;
  const source = driverError ?? (err as { code?: unknown; constraint?: unknown } | null);
  if (source?.code !== '23505') return null;
  return typeof source.constraint === 'string' ? source.constraint : '';
}
