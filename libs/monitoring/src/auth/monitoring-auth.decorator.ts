import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { MONITORING_SECURITY_SCHEME } from '../monitoring.constants';
import { MonitoringTokenGuard } from './monitoring-token.guard';

/** Guards a controller with the monitoring token and documents that (bearer scheme, 401 body). */
export function MonitoringAuth(): ClassDecorator & MethodDecorator {
  return applyDecorators(
    UseGuards(MonitoringTokenGuard),
    ApiBearerAuth(MONITORING_SECURITY_SCHEME),
    ApiUnauthorizedResponse({
      description: 'MONITORING_TOKEN is set and the request did not send it',
      schema: {
        type: 'object',
        required: ['errors'],
        properties: {
          errors: { type: 'object', properties: { authorization: { type: 'array', items: { type: 'string' } } } },
        },
        example: { errors: { authorization: ['is required: send Authorization: Bearer <token>'] } },
      },
    }),
  );
}
