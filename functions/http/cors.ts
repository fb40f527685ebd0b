import type { AnyRoute } from '#http/route.ts';

/**
 * The CORS policies of the API and of the documents bucket, each defined once: the CDK configures
 * API Gateway and S3 with them, and the local server answers with them as those services do, so an
 * SPA that works against `npm start` works deployed.
 */
export interface CorsPolicy {
  /** `*`, or exact origins (scheme://host[:port]). */
  readonly allowOrigins: '*' | readonly string[];
  readonly allowMethods: readonly string[];
  /**
   * Request headers a browser may send. `*` allows any, but by the Fetch standard never
   * `Authorization`, which is therefore named as well.
   */
  readonly allowHeaders: readonly string[];
  /** Response headers a script may read. */
  readonly exposeHeaders: readonly string[];
  readonly maxAgeSeconds: number;
}

/** The header API Gateway (and the local server) names each request by. */
export const requestIdHeader = 'apigw-requestid';

/**
 * The API's. Any request header (tracing headers such as `sentry-trace`, `baggage` or
 * `traceparent` included): the API authenticates with a bearer token, never a cookie, and allows
 * no credentials. Scripts may read the version to send back (`ETag`), when to retry (`Retry-After`),
 * a created record's address (`Location`) and API Gateway's request id, to quote in a support request.
 */
export const apiCors = (allowOrigins: CorsPolicy['allowOrigins']): CorsPolicy => ({
  allowOrigins,
  allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
  allowHeaders: ['Authorization', '*'],
  exposeHeaders: ['ETag', 'Retry-After', 'Location', requestIdHeader],
  maxAgeSeconds: 3600,
});

/**
 * Who may call the API from a browser: the public widget routes are called from each business's
 * own website, which no list can name, and an HTTP API has one CORS setting for all its routes; so
 * with public routes any origin, otherwise the SPA's.
 */
export const apiOrigins = (routes: readonly Pick<AnyRoute, 'auth' | 'path'>[], spaOrigins: readonly string[]): CorsPolicy['allowOrigins'] =>
  routes.some((route) => route.auth === 'public' && route.path.startsWith('/public/')) ? '*' : spaOrigins;

/** Where the SPA's dev server runs (Vite's default): the origin allowed when no other is named. */
export const devSpaOrigin = 'http://localhost:5173';

/**
 * The documents bucket's: the upload widget runs on each business's own website, so a presigned
 * PUT comes from any origin. The presigned URL is the authorisation, not the origin.
 */
export const documentUploadCors: CorsPolicy = {
  allowOrigins: '*',
  allowMethods: ['PUT', 'GET'],
  allowHeaders: ['content-type'],
  exposeHeaders: ['ETag'],
  maxAgeSeconds: 3600,
};

const allows = (policy: CorsPolicy, origin: string): boolean => policy.allowOrigins === '*' || policy.allowOrigins.includes(origin);

/**
 * The CORS headers of an answer to a request from `origin`, as API Gateway and S3 add them: none
 * without an origin or for one the policy does not allow; a preflight also gets the methods,
 * headers and how long to cache them.
 */
export function corsHeaders(policy: CorsPolicy, origin: string | undefined, preflight: boolean): Record<string, string> {
  if (origin === undefined || !allows(policy, origin)) return {};
  const allowOrigin: Record<string, string> = policy.allowOrigins === '*' ? { 'access-control-allow-origin': '*' } : { 'access-control-allow-origin': origin, vary: 'Origin' };
  if (!preflight) return { ...allowOrigin, 'access-control-expose-headers': policy.exposeHeaders.join(',') };
  return {
    ...allowOrigin,
    'access-control-allow-methods': policy.allowMethods.join(','),
    'access-control-allow-headers': policy.allowHeaders.join(','),
    'access-control-max-age': String(policy.maxAgeSeconds),
  };
}
