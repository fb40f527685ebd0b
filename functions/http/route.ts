import type { z } from 'zod';
import type { IdempotencyClaim } from '#domain/idempotency.ts';
import type { AppDeps } from '#http/deps.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What an operation receives once the request is authenticated and validated. */
export interface RouteRequest<P, Q, B> {
  readonly tenantId: string;
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  /** The version named by `If-Match`, when the request carried one. */
  readonly ifMatch: number | undefined;
  /** The `Idempotency-Key` this request holds, on routes that take one, when it carried one: the operation writes it with its effect (`remembering`). */
  readonly idempotency?: IdempotencyClaim | undefined;
  /** The caller's address: as API Gateway saw the connection, or behind the edge as CloudFront saw it (never X-Forwarded-For, which the caller writes). */
  readonly sourceIp: string;
}

export interface RouteResult {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

export interface RouteResponse {
  readonly description: string;
  readonly schema?: z.ZodType;
  /** An HTML page rather than JSON (the public unsubscribe page); `schema` is then its text. */
  readonly contentType?: 'text/html';
}

/**
 * One HTTP operation: the single description that API Gateway routes, the local server, the
 * OpenAPI document and the Lambda dispatcher are all built from.
 */
export interface Route<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType> {
  readonly method: HttpMethod;
  /** API Gateway path syntax, e.g. `/bookings/{id}`. */
  readonly path: string;
  readonly summary: string;
  /** The OpenAPI operationId, where the one derived from method and path (see operation-ids.ts) reads badly. */
  readonly operationId?: string;
  readonly tag: string;
  /** `tenant` routes need a verified token carrying the tenant claim. */
  readonly auth: 'tenant' | 'public';
  /**
   * The platform operator's (a `tenant`-auth route, behind the same JWT authorizer): the token must
   * be in the Cognito group `operators`, and the tenant it acts on comes from the path, not the token.
   */
  readonly operator?: true;
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  /** How the body comes: JSON (the default), or an HTML form's fields (all strings). */
  readonly bodyType?: 'form';
  readonly ifMatch?: 'required';
  /** Takes an optional `Idempotency-Key` header: a request repeated with the same key has its effect once and gets the first answer. */
  readonly idempotencyKey?: 'optional';
  /** A tighter body cap than the default (`maxBodyBytes`), for routes open to the internet. */
  readonly maxBodyBytes?: number;
  readonly responses: Readonly<Record<number, RouteResponse>>;
  /**
   * A method, not a function property: its parameter is compared bivariantly, so a route typed by
   * its own schemas is an `AnyRoute`. That is sound here: the handler calls it only with a request
   * its schemas have parsed.
   */
  operation(request: RouteRequest<z.infer<P>, z.infer<Q>, z.infer<B>>, deps: AppDeps): Promise<RouteResult>;
}

export type AnyRoute = Route<z.ZodType, z.ZodType, z.ZodType>;

/** Keeps each route's operation typed by its own schemas while storing routes in one list. */
export function defineRoute<P extends z.ZodType = z.ZodUnknown, Q extends z.ZodType = z.ZodUnknown, B extends z.ZodType = z.ZodUnknown>(
  route: Route<P, Q, B>,
): AnyRoute {
  return route;
}

export const routeKey = (route: Pick<AnyRoute, 'method' | 'path'>): string => `${route.method} ${route.path}`;
