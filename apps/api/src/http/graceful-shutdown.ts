import { LifecycleStateService } from '@app/monitoring';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { onRequestHookHandler } from 'fastify';
import { OpenConnections } from './open-connections';
import { REQUEST_ID_HEADER, requestIdOf } from './request-id';

/** The one answer to a request that arrives while the server closes (README "Shutdown"). */
export const SHUTTING_DOWN_BODY = JSON.stringify({ errors: { server: ['is shutting down, retry later'] } });
/** Another instance can answer at once: the balancer has had the whole grace period to stop sending here. */
export const SHUTTING_DOWN_RETRY_AFTER_S = 1;
/** How long an idle kept-alive connection may stay open once the server closes (its client sends nothing). */
const IDLE_LINGER_MS = 500;

const openConnections = new WeakMap<NestFastifyApplication, OpenConnections>();

/** Called by createApp before the server listens: connections are tracked from the first one. */
export function trackOpenConnections(app: NestFastifyApplication): void {
  openConnections.set(app, new OpenConnections(app.getHttpServer()));
}

/**
 * Fastify `onRequest` hook: once the server closes, requests are answered with the envelope 503,
 * `Retry-After` and `Connection: close` before any other work (registered before the response cache).
 * Requests already past this point are served to the end.
 */
export function closingGate(lifecycle: LifecycleStateService): onRequestHookHandler {
  return (request, reply, done) => {
    if (!lifecycle.isClosing) return done();
    void reply
      .code(503)
      .headers({
        'retry-after': String(SHUTTING_DOWN_RETRY_AFTER_S),
        connection: 'close',
        'cache-control': 'no-store',
        [REQUEST_ID_HEADER]: requestIdOf(request.raw),
      })
      .type('application/json; charset=utf-8')
      .send(SHUTTING_DOWN_BODY);
  };
}

/**
 * SIGTERM, in order: readiness 503 while every request is still served for SHUTDOWN_GRACE_MS
 * (balancers stop sending); then new requests get the 503 above, each connection closes after its
 * current response, and only when none is open does Nest close the server and, after it, the pools
 * (a pool closed under a running request fails it with "Cannot use a pool after calling end").
 */
export async function shutDownGracefully(app: NestFastifyApplication, signal: string): Promise<void> {
  const lifecycle = app.get(LifecycleStateService);
  await lifecycle.drain(signal);
  lifecycle.markClosing();
  await openConnections.get(app)?.closeAfterCurrentResponses(IDLE_LINGER_MS);
  await app.close();
}
