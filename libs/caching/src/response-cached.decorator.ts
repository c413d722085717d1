import { RouteConfig } from '@nestjs/platform-fastify';

/** The flag in a Fastify route's `config` that opts it in to the response tier (ResponseCache.onRoute). */
export const RESPONSE_CACHED = 'responseCached';

declare module 'fastify' {
  interface FastifyContextConfig {
    [RESPONSE_CACHED]?: boolean;
  }
}

/**
 * Opts a public GET route in to the response tier. Only for routes whose answer is the same for every
 * viewer apart from the booleans a `PersonalizedBody` marks: never a per-viewer route (the feed). Built
 * on `@RouteConfig()`, so it cannot be combined with another `@RouteConfig()`.
 */
export const ResponseCached = (): MethodDecorator => RouteConfig({ [RESPONSE_CACHED]: true });
