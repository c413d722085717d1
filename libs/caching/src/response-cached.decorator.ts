import { RouteConfig } from '@nestjs/platform-fastify';

/** The flag in a Fastify route's `config` that opts it in to the response tier (ResponseCache.onRoute). */
export const RESPONSE_CACHED = 'responseCached';

declare module 'fastify' {
  interface FastifyContextConfig {
    [RESPONSE_CACHED]?: boolean;
  }
}

/**
 * Opts a GET route in to the response tier: only one whose answer is the same for every viewer but for
 * the booleans a `PersonalizedBody` marks (never the feed). Cannot be combined with another `@RouteConfig()`.
 */
export const ResponseCached = (): MethodDecorator => RouteConfig({ [RESPONSE_CACHED]: true });
