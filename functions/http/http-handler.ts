import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { logger } from '#logger';
import { correlationHeader, correlationIdOf, currentCorrelationId, withCorrelationId } from '#correlation';
import { bindRequestTenant, withRequestScope } from '#request-tenant';
import { DomainError } from '#domain/errors.ts';
import type { AppDeps } from '#http/deps.ts';
import { routeKey, type AnyRoute } from '#http/route.ts';
import { errorResult, internalError, json } from '#http/responses.ts';
import { formBody, ifMatchVersion, jsonBody, requireOperator, tenantOf, validated } from '#http/request.ts';
import { idempotencyKeyOf } from '#domain/idempotency.ts';
import { idempotently } from '#http/idempotency.ts';
import { publicSender } from '#http/edge.ts';

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type HttpResult = APIGatewayProxyStructuredResultV2;
export type HttpLambda = (event: HttpEvent, context: Context) => Promise<HttpResult>;

/**
 * The Lambda handler for one resource area: API Gateway has already routed and authenticated the
 * request; this dispatches on its route key, validates it, runs the operation and maps failures.
 */
export function httpHandler(routes: readonly AnyRoute[], deps: () => AppDeps): HttpLambda {
  const byKey = new Map(routes.map((route) => [routeKey(route), route]));

  async function dispatch(event: HttpEvent): Promise<HttpResult> {
    const route = byKey.get(event.routeKey);
    if (!route) throw new DomainError('not_found', `No route for ${event.routeKey}`);
    if (route.operator) requireOperator(event);
    const tenantId = route.auth === 'tenant' && !route.operator ? tenantOf(event) : '';
    const sourceIp = route.auth === 'public' ? publicSender(event.headers, event.requestContext.http.sourceIp, deps().edgeSecret) : event.requestContext.http.sourceIp;
    logger.appendKeys({ tenantId, route: event.routeKey });
    if (!route.body && event.body) throw new DomainError('validation_failed', `${event.routeKey} takes no body`);
    const request = {
      tenantId,
      params: validated(route.params, event.pathParameters ?? {}, 'path'),
      query: validated(route.query, event.queryStringParameters ?? {}, 'query'),
      body: route.body ? validated(route.body, (route.bodyType === 'form' ? formBody : jsonBody)(event, route.maxBodyBytes), 'body') : undefined,
      ifMatch: ifMatchVersion(event.headers['if-match'], route.ifMatch === 'required'),
      sourceIp,
    };
    // The tenant the table credentials are scoped to; a public route binds its business once its slug or link resolves.
    if (route.auth === 'tenant') bindRequestTenant(route.operator ? operatedTenant(route, request.params) : tenantId);
    const key = route.idempotencyKey ? idempotencyKeyOf(event.headers['idempotency-key']) : undefined;
    return json(await (key === undefined ? route.operation(request, deps()) : idempotently(route, request, key, deps())));
  }

  /** An operator route acts for the tenant its path names (`{tenantId}`), checked by the route's params schema. */
  function operatedTenant(route: AnyRoute, params: unknown): string {
    const { tenantId } = params as { tenantId?: unknown };
    if (typeof tenantId !== 'string') throw new Error(`Operator route ${routeKey(route)} names no {tenantId} in its path`);
    return tenantId;
  }

  const lambda = middy<HttpEvent, HttpResult>()
    .before((request) => {
      logger.addContext(request.context);
      logger.resetKeys();
      logger.appendKeys({ correlationId: currentCorrelationId() });
    })
    .after((request) => {
      logger.info('request', { status: request.response?.statusCode });
    })
    .onError((request) => {
      const expected = errorResult(request.error);
      if (expected) {
        logger.info('request refused', { status: expected.status, error: request.error?.message });
        request.response = json(expected);
        return;
      }
      logger.error('request failed', request.error as Error);
      request.response = json(internalError(request.context.awsRequestId));
    })
    .handler(dispatch);
  // The whole request runs under its correlation id (every record it writes carries it) and in its own tenant scope.
  return (event, context) => withCorrelationId(correlationIdOf(event.headers[correlationHeader], event.requestContext.requestId), () => withRequestScope(() => lambda(event, context)));
}
