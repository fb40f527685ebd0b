/**
 * The local stand-in for API Gateway (HTTP API): matches the catalog's routes, does the JWT
 * authorizer's job for `tenant` routes, builds payload format 2.0 events, invokes the same area
 * handlers the Lambdas run, and writes their results back.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import type { JWTPayload } from 'jose';
import type { AnyRoute } from '#http/route.ts';
import { lambdaContext, LOCAL_ACCOUNT_ID } from '#local/lambda-context.ts';
import { clock } from '#adapters/clock.ts';
import { localDocumentsPath } from '#local/adapters/folder-storage.ts';
import { apiCors, apiOrigins, corsHeaders, devSpaOrigin, documentUploadCors, requestIdHeader } from '#http/cors.ts';
import { localDocumentRequest, type LocalDocumentsOptions } from '#local/local-documents.ts';

export type AreaHandler = (
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** One Lambda's worth of routes, as `functions/api/catalog.ts` lists them. */
export interface LocalArea {
  readonly area: string;
  readonly routes: ReadonlyArray<Pick<AnyRoute, 'method' | 'path' | 'auth'>>;
  readonly handler: AreaHandler;
}

export interface RequestLogEntry {
  readonly time: string;
  readonly requestId: string;
  readonly method: string;
  readonly path: string;
  readonly route: string | null;
  readonly area: string | null;
  readonly status: number;
  readonly ms: number;
  readonly error?: string;
}

export interface LocalServerOptions {
  readonly areas: readonly LocalArea[];
  /** Resolves with the claims of a valid token; rejects otherwise (see `createLocalTokenVerifier`). */
  readonly verifyToken: (token: string) => Promise<JWTPayload>;
  /** One call per request; defaults to a JSON line on stdout. `false` turns logging off. */
  readonly log?: ((entry: RequestLogEntry) => void) | false;
  /** Request body cap; API Gateway's is 10 MiB. */
  readonly maxBodyBytes?: number;
  /** API Gateway gives up on an integration after 30 s. */
  readonly handlerTimeoutMs?: number;
  /** Used in the Lambda context (function name, ARN). */
  readonly region?: string;
  /** Serve `/local-documents/…`, the presigned upload and download URLs of local document storage. */
  readonly documents?: LocalDocumentsOptions;
}

export const MAX_BODY_BYTES = 10 * 1024 * 1024;
const ACCOUNT_ID = LOCAL_ACCOUNT_ID;

// ---------------------------------------------------------------------------------------------
// Route matching, with API Gateway's precedence: a literal segment beats `{param}`, which beats
// `{proxy+}`.

interface CompiledRoute {
  readonly area: LocalArea;
  readonly method: string;
  readonly path: string;
  readonly auth: 'tenant' | 'public';
  readonly segments: readonly Segment[];
}

type Segment =
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'param'; readonly name: string }
  | { readonly kind: 'greedy'; readonly name: string };

function compilePath(path: string): Segment[] {
  if (!path.startsWith('/')) throw new Error(`Route path must start with "/": ${path}`);
  return path
    .slice(1)
    .split('/')
    .map((part, index, parts): Segment => {
      const greedy = /^\{([A-Za-z0-9_.-]+)\+\}$/.exec(part);
      if (greedy?.[1]) {
        if (index !== parts.length - 1) throw new Error(`Greedy parameter must be last: ${path}`);
        return { kind: 'greedy', name: greedy[1] };
      }
      const param = /^\{([A-Za-z0-9_.-]+)\}$/.exec(part);
      if (param?.[1]) return { kind: 'param', name: param[1] };
      if (/[{}]/.test(part)) throw new Error(`Unsupported path segment "${part}" in ${path}`);
      return { kind: 'literal', value: part };
    });
}

const RANK = { literal: 0, param: 1, greedy: 2 } as const;

/** Raw (still percent-encoded) parameter values, or undefined when the path does not match. */
function matchSegments(segments: readonly Segment[], parts: readonly string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (segment.kind === 'greedy') {
      const rest = parts.slice(i);
      if (rest.length === 0 || rest.join('/') === '') return undefined;
      params[segment.name] = rest.join('/');
      return params;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (segment.kind === 'literal') {
      if (part !== segment.value) return undefined;
    } else {
      if (part === '') return undefined;
      params[segment.name] = part;
    }
  }
  return parts.length === segments.length ? params : undefined;
}

function moreSpecific(a: CompiledRoute, b: CompiledRoute): boolean {
  const length = Math.max(a.segments.length, b.segments.length);
  for (let i = 0; i < length; i++) {
    const ra = a.segments[i] ? RANK[a.segments[i]!.kind] : 3;
    const rb = b.segments[i] ? RANK[b.segments[i]!.kind] : 3;
    if (ra !== rb) return ra < rb;
  }
  return false;
}

export interface RouteMatch {
  readonly route: CompiledRoute;
  readonly rawParams: Record<string, string>;
}

export interface Router {
  /** `{ match }` for a hit, `{ allowed }` when only the method is wrong, `{}` when nothing matches the path. */
  find(method: string, rawPath: string): { match?: RouteMatch; allowed?: string[] };
}

export function createRouter(areas: readonly LocalArea[]): Router {
  const routes: CompiledRoute[] = [];
  const seen = new Map<string, string>();
  for (const area of areas) {
    for (const route of area.routes) {
      const key = `${route.method} ${route.path}`;
      const previous = seen.get(key);
      if (previous !== undefined) throw new Error(`Route ${key} is declared by both ${previous} and ${area.area}`);
      seen.set(key, area.area);
      routes.push({ area, method: route.method, path: route.path, auth: route.auth, segments: compilePath(route.path) });
    }
  }
  return {
    find(method, rawPath) {
      const parts = rawPath.slice(1).split('/');
      let best: RouteMatch | undefined;
      const allowed = new Set<string>();
      for (const route of routes) {
        const rawParams = matchSegments(route.segments, parts);
        if (!rawParams) continue;
        if (route.method !== method) {
          allowed.add(route.method);
          continue;
        }
        if (!best || moreSpecific(route, best.route)) best = { route, rawParams };
      }
      if (best) return { match: best };
      return allowed.size > 0 ? { allowed: [...allowed].sort() } : {};
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Event building.

const TEXT_TYPES = [
  /^text\//,
  /^application\/(?:[\w.+-]+\+)?json\b/,
  /^application\/(?:[\w.+-]+\+)?xml\b/,
  /^application\/javascript\b/,
  /^application\/x-www-form-urlencoded\b/,
];

/** API Gateway passes textual bodies as they are and base64-encodes the rest (or a missing type). */
export function isTextContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.trim().toLowerCase();
  return TEXT_TYPES.some((pattern) => pattern.test(type));
}

/** API Gateway hands JWT claims to the integration flattened to strings. */
export function flattenClaims(payload: JWTPayload): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) claims[name] = `[${value.map(String).join(' ')}]`;
    else if (typeof value === 'object') claims[name] = JSON.stringify(value);
    else claims[name] = String(value);
  }
  return claims;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function queryParameters(rawQueryString: string): Record<string, string> | undefined {
  if (rawQueryString === '') return undefined;
  const result: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    result[name] = name in result ? `${result[name]},${value}` : value;
  }
  return Object.keys(result).length > 0 ? result : undefined;
}

function clfTime(date: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(
    date.getUTCMinutes(),
  )}:${pad(date.getUTCSeconds())} +0000`;
}

function sourceIp(request: IncomingMessage): string {
  const address = request.socket.remoteAddress ?? '127.0.0.1';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

interface EventInput {
  readonly request: IncomingMessage;
  readonly route: CompiledRoute;
  readonly rawPath: string;
  readonly rawQueryString: string;
  readonly rawParams: Record<string, string>;
  readonly body: Buffer;
  readonly claims: Record<string, string> | undefined;
  readonly requestId: string;
  readonly now: Date;
}

function buildEvent(input: EventInput): APIGatewayProxyEventV2WithJWTAuthorizer {
  const { request, route, rawPath, rawQueryString, rawParams, body, claims, requestId, now } = input;
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, values] of Object.entries(request.headersDistinct)) {
    if (!values) continue;
    if (name === 'cookie') {
      cookies = values.flatMap((value) => value.split(/;\s*/)).filter((cookie) => cookie !== '');
      continue;
    }
    headers[name] = values.join(',');
  }
  headers['x-forwarded-for'] ??= sourceIp(request);
  headers['x-forwarded-proto'] ??= 'http';
  headers['x-forwarded-port'] ??= String(request.socket.localPort ?? '');

  const host = headers['host'] ?? 'localhost';
  const domainName = host.replace(/:\d+$/, '');
  const routeKey = `${route.method} ${route.path}`;
  const pathParameters = Object.fromEntries(Object.entries(rawParams).map(([name, value]) => [name, safeDecode(value)]));
  const queryStringParameters = queryParameters(rawQueryString);
  const hasBody = body.length > 0;
  const text = isTextContentType(headers['content-type']);

  const requestContext = {
    accountId: ACCOUNT_ID,
    apiId: 'local',
    domainName,
    domainPrefix: domainName.split('.')[0] ?? domainName,
    http: {
      method: route.method,
      path: rawPath,
      protocol: `HTTP/${request.httpVersion}`,
      sourceIp: sourceIp(request),
      userAgent: headers['user-agent'] ?? '',
    },
    requestId,
    routeKey,
    stage: '$default',
    time: clfTime(now),
    timeEpoch: now.getTime(),
    // Routes without an authorizer get no `authorizer` key, as in API Gateway.
    ...(claims ? { authorizer: { principalId: '', integrationLatency: 0, jwt: { claims, scopes: null } } } : {}),
  };

  const event = {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString,
    ...(cookies && cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(queryStringParameters ? { queryStringParameters } : {}),
    requestContext,
    ...(hasBody ? { body: text ? body.toString('utf8') : body.toString('base64') } : {}),
    ...(Object.keys(pathParameters).length > 0 ? { pathParameters } : {}),
    isBase64Encoded: hasBody && !text,
  };
  return event as APIGatewayProxyEventV2WithJWTAuthorizer;
}

// ---------------------------------------------------------------------------------------------
// The server.

class BodyTooLarge extends Error {}

function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolveBody, reject) => {
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (!tooLarge) resolveBody(Buffer.concat(chunks));
    });
    request.on('error', reject);
  });
}

function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  // API Gateway accepts the token with or without the "Bearer " prefix.
  const match = /^\s*(?:Bearer\s+)?(\S+)\s*$/i.exec(header);
  return match?.[1];
}

function timeout(ms: number): { promise: Promise<'timeout'>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<'timeout'>((resolveTimeout) => {
    timer = setTimeout(() => resolveTimeout('timeout'), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

export function createLocalServer(options: LocalServerOptions): Server {
  const router = createRouter(options.areas);
  // The deployed policy; without public routes, the SPA's dev server is the one origin.
  const cors = apiCors(apiOrigins(options.areas.flatMap((area) => area.routes), [devSpaOrigin]));
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const handlerTimeoutMs = options.handlerTimeoutMs ?? 30_000;
  const region = options.region ?? process.env['AWS_REGION'] ?? 'us-east-1';
  const log =
    options.log === false
      ? undefined
      : (options.log ?? ((entry: RequestLogEntry) => process.stdout.write(`${JSON.stringify(entry)}\n`)));

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const started = performance.now();
    const now = new Date();
    const requestId = randomUUID();
    const method = (request.method ?? 'GET').toUpperCase();
    const target = request.url ?? '/';
    const queryAt = target.indexOf('?');
    const rawPath = queryAt === -1 ? target : target.slice(0, queryAt);
    const rawQueryString = queryAt === -1 ? '' : target.slice(queryAt + 1);
    const origin = request.headers.origin;
    const preflight = method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined;

    let routeKey: string | null = null;
    let areaName: string | null = null;
    let errorText: string | undefined;

    const send = (status: number, body: string | Buffer, headers: Record<string, string | string[]> = {}): void => {
      if (response.headersSent) return;
      response.statusCode = status;
      response.setHeader(requestIdHeader, requestId);
      const policy = options.documents && rawPath.startsWith(localDocumentsPath) ? documentUploadCors : cors;
      for (const [name, value] of Object.entries(corsHeaders(policy, origin, preflight))) response.setHeader(name, value);
      for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
      response.end(body);
      log?.({
        time: now.toISOString(),
        requestId,
        method,
        path: rawPath,
        route: routeKey,
        area: areaName,
        status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        ...(errorText ? { error: errorText } : {}),
      });
    };
    const sendJson = (status: number, value: unknown, headers: Record<string, string> = {}): void =>
      send(status, JSON.stringify(value), { 'content-type': 'application/json', ...headers });

    // CORS preflight: answered here for every path, as API Gateway does when CORS is configured.
    if (preflight) {
      request.resume();
      send(204, '');
      return;
    }

    if (options.documents && rawPath.startsWith(localDocumentsPath)) {
      routeKey = `${method} ${localDocumentsPath}{key+}`;
      // The clock the handlers signed with, which a test may have moved.
      const answer = await localDocumentRequest(options.documents, request, method, new URL(target, 'http://local'), clock.now());
      send(answer.status, answer.body, answer.headers);
      return;
    }

    const found = router.find(method, rawPath);
    if (!found.match) {
      request.resume();
      const message = `No route for ${method} ${rawPath}`;
      if (found.allowed) {
        sendJson(405, { error: { code: 'method_not_allowed', message } }, { allow: found.allowed.join(', ') });
      } else {
        sendJson(404, { error: { code: 'not_found', message } });
      }
      return;
    }
    const { route, rawParams } = found.match;
    routeKey = `${route.method} ${route.path}`;
    areaName = route.area.area;

    let claims: Record<string, string> | undefined;
    if (route.auth === 'tenant') {
      const token = bearerToken(request.headers.authorization);
      let reason = 'missing token';
      if (token !== undefined) {
        try {
          claims = flattenClaims(await options.verifyToken(token));
        } catch (error) {
          reason = error instanceof Error ? error.message : String(error);
        }
      }
      if (!claims) {
        request.resume();
        errorText = `unauthorized: ${reason}`;
        sendJson(
          401,
          { message: 'Unauthorized' },
          token === undefined ? {} : { 'www-authenticate': `Bearer scope="" error="invalid_token" error_description="${reason.replaceAll('"', "'")}"` },
        );
        return;
      }
    }

    let body: Buffer;
    try {
      body = await readBody(request, maxBodyBytes);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        // Keep reading (and dropping) the rest so the client sees the answer rather than a reset.
        request.resume();
        errorText = `body larger than ${maxBodyBytes} bytes`;
        sendJson(413, { message: 'Request Entity Too Large' }, { connection: 'close' });
        return;
      }
      throw error;
    }

    const event = buildEvent({ request, route, rawPath, rawQueryString, rawParams, body, claims, requestId, now });
    const context = lambdaContext({ functionName: `client-messages-local-${route.area.area}`, requestId, region, timeoutMs: handlerTimeoutMs });
    const limit = timeout(handlerTimeoutMs);
    let result: APIGatewayProxyStructuredResultV2 | string | 'timeout';
    try {
      result = await Promise.race([route.area.handler(event, context), limit.promise]);
    } catch (error) {
      errorText = error instanceof Error ? (error.stack ?? error.message) : String(error);
      process.stderr.write(`[local-api] ${routeKey} handler threw: ${errorText}\n`);
      sendJson(500, { message: 'Internal Server Error' });
      return;
    } finally {
      limit.cancel();
    }
    if (result === 'timeout') {
      errorText = `handler did not answer within ${handlerTimeoutMs} ms`;
      sendJson(503, { message: 'Service Unavailable' });
      return;
    }
    writeResult(result, send);
  };

  return createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      process.stderr.write(`[local-api] ${request.method} ${request.url} failed: ${error instanceof Error ? error.stack : String(error)}\n`);
      if (!response.headersSent) {
        response.statusCode = 500;
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ message: 'Internal Server Error' }));
      }
    });
  });
}

/** Payload 2.0 response handling, including API Gateway's inference for non-structured results. */
function writeResult(
  result: APIGatewayProxyStructuredResultV2 | string | unknown,
  send: (status: number, body: string | Buffer, headers?: Record<string, string | string[]>) => void,
): void {
  const structured =
    typeof result === 'object' && result !== null && 'statusCode' in result
      ? (result as APIGatewayProxyStructuredResultV2)
      : undefined;
  if (!structured) {
    // A bare string or an object without statusCode: 200, JSON.
    const body = typeof result === 'string' ? result : JSON.stringify(result ?? null);
    send(200, body, { 'content-type': 'application/json' });
    return;
  }
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(structured.headers ?? {})) headers[name.toLowerCase()] = String(value);
  if (structured.cookies && structured.cookies.length > 0) headers['set-cookie'] = structured.cookies;
  const raw = structured.body ?? '';
  const body = structured.isBase64Encoded ? Buffer.from(raw, 'base64') : raw;
  send(structured.statusCode ?? 200, body, headers);
}

export interface StartedLocalServer {
  readonly server: Server;
  readonly port: number;
  /** e.g. `http://127.0.0.1:3000` */
  readonly url: string;
  close(): Promise<void>;
}

/** Starts the server; `port: 0` (the default) picks a free port, for tests. */
export async function startLocalServer(
  options: LocalServerOptions & { readonly port?: number; readonly host?: string },
): Promise<StartedLocalServer> {
  const server = createLocalServer(options);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  let closing: Promise<void> | undefined;
  return {
    server,
    port,
    url: `http://${urlHost}:${port}`,
    close: () => {
      closing ??= new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        server.closeIdleConnections();
        // Requests still running get a moment, then their connections go too.
        setTimeout(() => server.closeAllConnections(), 2_000).unref();
      });
      return closing;
    },
  };
}
