import type { AppConfig } from '@app/config';
import { ConfigService } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';

/**
 * JSON logs (pretty in development) for everything Nest logs. Requests are logged by
 * `registerRequestLogging` (one line each, with the request id), not by pino-http's middleware:
 * see request-logging.ts for why. `forRoutes: []` keeps that middleware off every route.
 */
export const AppLoggerModule = LoggerModule.forRootAsync({
  inject: [ConfigService],
  useFactory: (config: ConfigService<AppConfig, true>) => {
    const env = config.get('env', { infer: true });
    return {
      forRoutes: [],
      pinoHttp: {
        level: config.get('logLevel', { infer: true }),
        base: { service: 'prepnexus-api' },
        redact: ['req.headers.authorization', 'req.headers.cookie', 'req.body.user.password'],
        transport: env === 'development' ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
      },
    };
  },
});
