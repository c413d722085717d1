import { Catch, ServiceUnavailableException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

/**
 * Terminus reports a failed check by throwing 503 with the check result as its body. Probes and
 * operators expect that Terminus body, not the API's error envelope the global filter would make.
 */
@Catch(ServiceUnavailableException)
export class HealthCheckFailureFilter implements ExceptionFilter<ServiceUnavailableException> {
  catch(exception: ServiceUnavailableException, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    void reply
      .code(exception.getStatus())
      .header('cache-control', 'no-cache, no-store, must-revalidate')
      .type('application/json; charset=utf-8')
      .send(exception.getResponse());
  }
}
