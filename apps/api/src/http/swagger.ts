import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ErrorResponseDto } from '@app/users';
import { addErrorResponses } from './common-error-responses';

export const API_VERSION = '1.0.0';
/** The RealWorld auth scheme: `Authorization: Token <jwt>` (Bearer is accepted too). */
export const TOKEN_AUTH = 'Token';
export const MONITORING_AUTH = 'MonitoringToken';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('PrepNexus API')
    .setVersion(API_VERSION)
    .setDescription(
      'The PrepNexus content API: the RealWorld ("Conduit") API v1.1.0 on NestJS, PostgreSQL and Redis, ' +
        'with Kubernetes health probes and monitoring. Every error has the shape `{"errors": {"<field>": ["message"]}}`.',
    )
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'Authorization',
        description: 'RealWorld token: `Token <jwt>` (`Bearer <jwt>` is accepted too). Get one from login or register.',
      },
      TOKEN_AUTH,
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'opaque',
        description: 'The MONITORING_TOKEN (an opaque secret)',
      },
      MONITORING_AUTH,
    )
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (_controllerKey, methodKey) => methodKey,
    // The error envelope is referenced by every error response, whichever controllers declare it.
    extraModels: [ErrorResponseDto],
  });
  return addErrorResponses(document);
}

/** Swagger UI at `/docs`, the document at `/docs-json`. */
export function setupSwagger(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    customSiteTitle: 'PrepNexus API docs',
  });
}
