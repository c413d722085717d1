import type { AppConfig } from '@app/config';
import { Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

// Hashing first gives both sides the same length, so the comparison time reveals nothing.
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * Monitoring detail routes need `Authorization: Bearer <MONITORING_TOKEN>` when the token is
 * configured (always, in production). Without one configured they are open (development).
 */
@Injectable()
export class MonitoringTokenGuard implements CanActivate {
  private readonly expected: Buffer | null;

  constructor(config: ConfigService<AppConfig, true>) {
    const token = config.get('monitoringToken', { infer: true });
    this.expected = token ? digest(token) : null;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected) return true;
    const http = context.switchToHttp();
    const header = http.getRequest<FastifyRequest>().headers.authorization;
    const presented = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
    if (presented && timingSafeEqual(digest(presented), this.expected)) return true;
    void http.getResponse<FastifyReply>().header('www-authenticate', 'Bearer realm="monitoring"');
    throw new UnauthorizedException({
      errors: {
        authorization: [presented ? 'is not the monitoring token' : 'is required: send Authorization: Bearer <token>'],
      },
    });
  }
}
