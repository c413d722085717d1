import { RouteConfig } from '@nestjs/platform-fastify';

export const RESPONSE_CACHED = 'responseCached';

declare module 'fastify' {
  interface FastifyContextConfig {
    [RESPONSE_CACHED]?: boolean;
  }
}

/** Opts a `PersonalizedBody` GET route (never the feed) in to the response tier; not with another `@RouteConfig()`. */
export const ResponseCached = (): MethodDecorator => RouteConfig({ [RESPONSE_CACHED]: true });
