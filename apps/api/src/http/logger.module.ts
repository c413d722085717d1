import type { AppConfig } from '@app/config';
import { RequestMethod } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import { requestIdOf } from './request-id';

/** JSON logs with the request id on every line; pretty output in development. */
export const AppLoggerModule = LoggerModule.forRootAsync({
  inject: [ConfigService],
  useFactory: (config: ConfigService<AppConfig, true>) => {
    const env = config.get('env', { infer: true });
    return {
      // nestjs-pino on Fastify logs nothing until told to cover every route (DESIGN.md §9).
      forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
      pinoHttp: {
        level: config.get('logLevel', { infer: true }),
        genReqId: (req) => requestIdOf(req),
        customProps: () => ({ service: 'prepnexus-api' }),
        serializers: {
          req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
          res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        },
        redact: ['req.headers.authorization', 'req.headers.cookie', 'req.body.user.password'],
        // Probes and scrapes every few seconds would drown the useful lines.
        autoLogging: { ignore: (req) => /^\/(health|metrics)/.test(req.url ?? '') },
        transport: env === 'development' ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
      },
    };
  },
});
