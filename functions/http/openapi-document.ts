import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import type { AnyRoute, RouteResponse } from '#http/route.ts';
import { idempotencyKeyPattern, rememberedSeconds } from '#domain/idempotency.ts';
import { ErrorResponse } from '#http/record-routes.ts';

type Document = ReturnType<OpenApiGeneratorV31['generateDocument']>;

/** The headers a route reads, besides authorization and content type. */
const headersOf = (route: AnyRoute) =>
  z.object({
    ...(route.ifMatch ? { 'If-Match': z.string().meta({ description: 'The version last read (its ETag)' }) } : {}),
    ...(route.idempotencyKey
      ? {
          'Idempotency-Key': z
            .string()
            .regex(idempotencyKeyPattern)
            .optional()
            .meta({
              description: `1 to 255 printable ASCII characters (a UUID works). A repeat with the same key and the same request within ${rememberedSeconds / 3600} hours has its effect once and gets the first answer (status, body, ETag, Location); the key on another request gets 422`,
            }),
        }
      : {}),
  });

/** What every route taking an Idempotency-Key may also answer, so no such route can leave it out. */
function responsesOf(route: AnyRoute): Readonly<Record<number, RouteResponse>> {
  if (!route.idempotencyKey) return route.responses;
  const inProgress = 'a request with the same Idempotency-Key is still being processed (retry after Retry-After seconds to get its answer)';
  const conflict = route.responses[409];
  return {
    ...route.responses,
    409: { description: conflict ? `${conflict.description}; or ${inProgress}` : `Conflict: ${inProgress}`, schema: ErrorResponse },
    422: { description: 'The Idempotency-Key was already used for a different request to this operation', schema: ErrorResponse },
  };
}

/** The OpenAPI 3.1 document of the given routes, from the same zod schemas that validate requests. */
export function openApiDocument(routes: readonly AnyRoute[]): Document {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'tenantToken', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'A Cognito ID token whose custom:tenantId claim names the business',
  });
  for (const route of routes) {
    const request: RouteConfig['request'] = {
      ...(route.params ? { params: route.params as z.ZodObject } : {}),
      ...(route.query ? { query: route.query as z.ZodObject } : {}),
      ...(route.ifMatch || route.idempotencyKey ? { headers: headersOf(route) } : {}),
      ...(route.body ? { body: { required: true, content: { 'application/json': { schema: route.body } } } } : {}),
    };
    registry.registerPath({
      method: route.method.toLowerCase() as RouteConfig['method'],
      path: route.path,
      tags: [route.tag],
      summary: route.summary,
      security: route.auth === 'tenant' ? [{ [bearer.name]: [] }] : [],
      request,
      responses: Object.fromEntries(
        Object.entries(responsesOf(route)).map(([status, response]) => [
          status,
          { description: response.description, ...(response.schema ? { content: { 'application/json': { schema: response.schema } } } : {}) },
        ]),
      ),
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Client messages API',
      version: '1.0.0',
      description: 'Records of a service business (settings, locations, clients, bookings, invoices, estimates, work orders, leads) that drive automated client messages.',
    },
  });
}
