import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';
// A caller's id is honoured only if it is short and plain: it ends up in logs and response headers.
const ACCEPTABLE_ID = /^[\w.:-]{1,128}$/;
const assigned = new WeakMap<IncomingMessage, string>();

/** One id per request: the caller's `x-request-id` when acceptable, else a new UUID. Stable per request. */
export function requestIdOf(req: IncomingMessage): string {
  let id = assigned.get(req);
  if (id) return id;
  const sent = req.headers[REQUEST_ID_HEADER];
  id = typeof sent === 'string' && ACCEPTABLE_ID.test(sent) ? sent : randomUUID();
  assigned.set(req, id);
  return id;
}
