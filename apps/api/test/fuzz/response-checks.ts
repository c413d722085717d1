import type { FuzzRequest } from './request-arbitraries';

export interface FuzzResponse {
  statusCode: number;
  headers: Record<string, unknown>;
  body: string;
}

/**
 * Text that only an internal error carries: stack frames, TypeORM / pg / Node error names, SQL and
 * PostgreSQL's own messages. Matched only in error bodies, and only when the request did not send
 * the text itself (a 422 may quote what it refuses).
 */
const LEAKS: RegExp[] = [
  /\n\s+at /,
  /\bat [\w.<>[\]]+ \(/,
  /\.[jt]s:\d+:\d+/,
  /node_modules/,
  /QueryFailedError|TypeORMError|QueryRunner|EntityNotFound|EntityPropertyNotFound/,
  /\b(TypeError|RangeError|ReferenceError|SyntaxError|URIError):/,
  /Maximum call stack/,
  /\bSELECT\b[\s\S]*\bFROM\b/i,
  /\b(INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b/i,
  /relation "|column "|violates|duplicate key|syntax error at or near|invalid input syntax|out of range for type/,
  /ECONNREFUSED|ETIMEDOUT|Connection terminated/,
];

function sentText(req: FuzzRequest): string {
  const payload = req.payload === undefined ? '' : req.payload.toString();
  return `${req.url} ${decodeURIComponentSafe(req.url)} ${JSON.stringify(req.headers)} ${payload} ${safeParse(payload)}`;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return '';
  }
}

function safeParse(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return '';
  }
}

/** `{"errors": {"<field>": ["message", ...]}}` and nothing else. */
function isEnvelope(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  if (Object.keys(value).join() !== 'errors') return false;
  const errors = (value as { errors: unknown }).errors;
  if (typeof errors !== 'object' || errors === null || Array.isArray(errors)) return false;
  const fields = Object.values(errors);
  return (
    fields.length > 0 &&
    fields.every((m) => Array.isArray(m) && m.length > 0 && m.every((s) => typeof s === 'string' && s.length > 0))
  );
}

/** Everything wrong with one answer: a 5xx, an error outside the envelope, internals in the body. */
export function problemsWith(req: FuzzRequest, res: FuzzResponse): string[] {
  const problems: string[] = [];
  if (res.statusCode >= 500) problems.push(`answered ${res.statusCode}`);
  if (req.poison !== undefined && res.statusCode < 400) {
    problems.push(`accepted (${res.statusCode}) although it must be refused: ${req.poison}`);
  }
  if (res.statusCode < 400) return problems;
  let parsed: unknown;
  try {
    parsed = JSON.parse(res.body);
  } catch {
    parsed = undefined;
  }
  if (!isEnvelope(parsed)) problems.push(`error ${res.statusCode} not in the envelope: ${res.body.slice(0, 300)}`);
  const sent = sentText(req);
  for (const leak of LEAKS) {
    const found = leak.exec(res.body);
    if (found && !sent.includes(found[0]))
      problems.push(`body shows internals (${found[0]}): ${res.body.slice(0, 300)}`);
  }
  return problems;
}

/** Answers counted by route and status, for the summary. */
export class Tally {
  readonly byRoute = new Map<string, Map<number, number>>();
  total = 0;

  add(route: string, status: number): void {
    this.total++;
    const statuses = this.byRoute.get(route) ?? new Map<number, number>();
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    this.byRoute.set(route, statuses);
  }

  summary(title: string): string {
    const lines = [...this.byRoute.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([route, statuses]) => {
        const counts = [...statuses.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}:${n}`);
        return `  ${route.padEnd(42)} ${counts.join(' ')}`;
      });
    return [`${title}: ${this.total} requests`, ...lines].join('\n');
  }
}

/** Problems grouped by route and kind (the text before the first colon), each with its first request. */
export class Findings {
  private readonly byKind = new Map<string, { count: number; example: string }>();

  add(route: string, problems: string[], request: string): void {
    for (const problem of problems) {
      const kind = `${route}: ${problem.split(':')[0]}`;
      const seen = this.byKind.get(kind);
      if (seen) seen.count++;
      else this.byKind.set(kind, { count: 1, example: `${problem}\n    Request: ${request}` });
    }
  }

  /** Empty when there was nothing to report. */
  report(): string {
    return [...this.byKind.entries()]
      .map(([kind, { count, example }]) => `${kind} (x${count})\n    ${example}`)
      .join('\n');
  }
}
