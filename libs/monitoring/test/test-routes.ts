import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { setTimeout as delay } from 'node:timers/promises';

export const DELAY_ROUTE = '/api/test/delay/:ms';

/**
 * Test-only: a raw Fastify route answering after `ms` milliseconds with `?status=` (default 200).
 * Registered on the production app before `init()`, so it is timed like every other route.
 */
export function addDelayRoute(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.get<{ Params: { ms: string }; Querystring: { status?: string } }>(DELAY_ROUTE, async (request, reply) => {
    const ms = Number(request.params.ms);
    await delay(ms);
    return reply.code(Number(request.query.status ?? 200)).send({ delayedMs: ms });
  });
}
