/** The constraint a violation with this SQLSTATE hit (`''` when unnamed), or null for any other error. */
function violatedConstraint(err: unknown, sqlState: string): string | null {
  // TypeORM wraps the driver's error (QueryFailedError.driverError); pg's own carries code and constraint.
  const driverError = (err as { driverError?: { code?: unknown; constraint?: unknown } } | null)?.driverError;
  const source = driverError ?? (err as { code?: unknown; constraint?: unknown } | null);
  if (source?.code !== sqlState) return null;
  return typeof source.constraint === 'string' ? source.constraint : '';
}

/** The constraint a unique violation (SQLSTATE 23505) hit, or null for any other error. */
export function uniqueViolation(err: unknown): string | null {
  return violatedConstraint(err, '23505');
}

/**
 * The constraint a foreign-key violation (SQLSTATE 23503) hit, or null for any other error. Content
 * written under an article that was deleted after it was looked up (a race with DELETE) fails so.
 */
export function foreignKeyViolation(err: unknown): string | null {
  return violatedConstraint(err, '23503');
}
