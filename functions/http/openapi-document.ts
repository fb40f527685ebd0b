import { OpenAPIRegistry, OpenApiGeneratorV31, type ResponseConfig, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';
import type { AnyRoute, RouteResponse } from '#http/route.ts';
import { idempotencyKeyPattern, rememberedSeconds } from '#domain/idempotency.ts';
import { maxBodyBytes } from '#http/request.ts';
import { GatewayError, errorBodyOf, errorCatalog, errorCodes } from '#http/error-catalog.ts';
import { operationIdOf } from '#http/operation-ids.ts';
import { requestExampleOf, responseExampleOf } from '#http/openapi-examples.ts';

type Document = ReturnType<OpenApiGeneratorV31['generateDocument']>;

/**
 * The OpenAPI 3.1 document of the routes: everything each operation can answer, derived here from
 * what the route says about itself (auth, params, query, body, If-Match, Idempotency-Key and its
 * own responses) by one set of rules, so no route can leave a status, a header or an error out.
 */

/** Whether a route may answer 412: it needs If-Match, or says it honours one when sent. */
const honoursIfMatch = (route: AnyRoute) => route.ifMatch === 'required' || route.responses[412] !== undefined;

/** The headers a route reads, besides authorization and content type. */
const headersOf = (route: AnyRoute) =>
  z.object({
    ...(honoursIfMatch(route)
      ? {
          'If-Match': (route.ifMatch === 'required' ? z.string() : z.string().optional()).meta({
            description:
              route.ifMatch === 'required'
                ? 'The version last read (its ETag, e.g. "3"); without it 428, another version 412'
                : 'Optional: the version last read (its ETag, e.g. "3"); when sent and not the current version, 412 and nothing changes',
            example: '"1"',
          }),
        }
      : {}),
    ...(route.idempotencyKey
      ? {
          'Idempotency-Key': z
            .string()
            .regex(idempotencyKeyPattern)
            .optional()
            .meta({
              description: `1 to 255 printable ASCII characters (a UUID works). A repeat with the same key and the same request within ${rememberedSeconds / 3600} hours has its effect once and gets the first answer (status, body, ETag, Location); the key on another request gets 422`,
              example: '6f1c1a52-3f5e-4b8e-9d53-2f0f0c0e7a11',
            }),
        }
      : {}),
  });

const header = (description: string, schema: Record<string, unknown>, required: boolean) => ({ description, required, schema });
const corsHeader = header('Sent when the request’s Origin is one the API allows (the SPA’s; any origin on the public widget routes)', { type: 'string' }, false);
const etagHeader = header('The record’s version, e.g. "3": send it back in If-Match to change the record', { type: 'string', pattern: '^"\\d+"$' }, true);
const locationHeader = header('The new record’s path, e.g. /bookings/01J…', { type: 'string' }, true);
const retryAfterHeader = (when: string) => header(`Seconds to wait before trying again; ${when}`, { type: 'integer', minimum: 0 }, false);

/** A 2xx body is a versioned record (it has a top-level `version`): the answer carries its ETag. */
function isVersioned(schema: z.ZodType | undefined): boolean {
  return schema instanceof z.ZodObject && 'version' in schema.shape;
}
/** Answers that carry an ETag of a record that is not their body: the card is its client’s. */
const etagOfAnotherRecord = new Set(['GET /clients/{id}/card']);

const generic: Record<number, string> = {
  400: 'Invalid request; details.issues names each bad field (path, query, body or If-Match)',
  401: 'No valid token. API Gateway’s JWT authorizer answers with its own body, `{"message":"Unauthorized"}`, not the Error shape',
  403: 'The token carries no valid custom:tenantId claim',
  404: 'No such record for this tenant (another tenant’s records answer 404 too)',
  409: 'Conflict: not allowed in the current state, a value taken, or another request was changing the same records (try again)',
  412: 'If-Match names another version than the current one; details.currentVersion says which',
  413: `Body too large: over the operation’s cap (code payload_too_large), or over API Gateway’s 10 MiB (its own body)`,
  415: 'Body is not sent as application/json',
  422: 'The Idempotency-Key was already used for a different request to this operation',
  428: 'If-Match is required',
  429: 'Too many requests. API Gateway’s throttling answers `{"message":"Too Many Requests"}` (no Retry-After)',
  500: 'Something went wrong on our side (code internal_error, quoting the request id); if the function itself failed, API Gateway answers `{"message":"Internal Server Error"}`',
  503: 'The function did not answer within API Gateway’s 30 seconds: `{"message":"Service Unavailable"}`',
};

type Answer = { description: string; schema?: z.ZodType; gateway: boolean; only?: 'gateway'; page?: true };

/** Every status an operation can answer, its description and whether API Gateway may answer it itself. */
function statusesOf(route: AnyRoute): Map<number, Answer> {
  const own = new Map(Object.entries(route.responses).map(([status, response]) => [Number(status), response as RouteResponse]));
  const statuses = new Map<number, Answer>();
  const page = (status: number) => (own.get(status)?.contentType === 'text/html' ? { page: true as const } : {});
  for (const [status, response] of own) if (status < 400) statuses.set(status, { description: response.description, ...(response.schema ? { schema: response.schema } : {}), gateway: false, ...page(status) });
  const add = (status: number, extra?: string) => {
    const declared = own.get(status)?.description;
    // An error status a route answers with a page (a bad unsubscribe link) can still be a JSON error (a bad body).
    const description = own.get(status)?.contentType === 'text/html' ? `${declared} (text/html); or, as JSON, ${generic[status]}` : (declared ?? generic[status]!);
    statuses.set(status, { description: [description, extra].filter(Boolean).join('; or '), gateway: [413, 429, 500].includes(status), ...page(status) });
  };
  // Every operation validates its path, query, body and If-Match header (a body sent where none is taken is a 400 too).
  add(400);
  if (route.auth === 'tenant') {
    statuses.set(401, { description: generic[401]!, gateway: true, only: 'gateway' });
    add(403);
  } else {
    statuses.set(403, { description: 'Called at the execute-api address instead of the API’s public address (code not_through_edge; deployed stacks only)', gateway: false });
  }
  if (route.params || own.has(404)) add(404);
  if (own.has(409) || route.idempotencyKey || (route.auth === 'public' && route.method !== 'GET')) {
    add(409, route.idempotencyKey ? 'a request with the same Idempotency-Key is still being processed (retry after Retry-After seconds to get its answer)' : undefined);
  }
  if (honoursIfMatch(route)) add(412);
  if (route.body) {
    add(413);
    add(415);
  }
  if (route.idempotencyKey || own.has(422)) add(422);
  if (route.ifMatch === 'required') add(428);
  add(429, route.auth === 'public' ? 'over the business’s or the sender’s public rate limit (code rate_limited, with Retry-After)' : undefined);
  if (route.auth !== 'public') statuses.get(429)!.only = 'gateway';
  add(500);
  statuses.set(503, { description: generic[503]!, gateway: true, only: 'gateway' });
  return new Map([...statuses].sort(([a], [b]) => a - b));
}

/** An HTML page's content: its text, with no example (it depends on the client's language). */
const pageContent = { 'text/html': { schema: z.string().max(16 * 1024).meta({ description: 'An HTML page (UTF-8)' }) } };

function responseOf(route: AnyRoute, status: number, answer: Answer): ResponseConfig {
  const key = `${route.method} ${route.path}`;
  const headers: Record<string, ReturnType<typeof header>> = { 'Access-Control-Allow-Origin': corsHeader };
  if (status < 300 && (isVersioned(answer.schema) || etagOfAnotherRecord.has(key))) headers['ETag'] = etagHeader;
  if (status === 201 && isVersioned(answer.schema)) headers['Location'] = locationHeader;
  if (status === 429) headers['Retry-After'] = retryAfterHeader(route.auth === 'public' ? 'always sent with code rate_limited' : 'API Gateway’s throttling sends none');
  if (status === 409 && route.idempotencyKey) headers['Retry-After'] = retryAfterHeader('sent with code idempotency_key_in_progress');
  const schema =
    status < 400
      ? answer.schema
      : answer.only === 'gateway'
        ? GatewayError
        : answer.gateway
          ? z.union([errorBodyOf(status)!, GatewayError])
          : errorBodyOf(status);
  if (answer.page && status < 400) return { description: answer.description, headers, content: pageContent };
  const example = status < 400 ? responseExampleOf(route, status) : errorExampleOf(status, answer.only === 'gateway');
  return {
    description: answer.description,
    headers,
    ...(schema ? { content: { ...(answer.page ? pageContent : {}), 'application/json': { schema, ...(example === undefined ? {} : { example }) } } } : {}),
  };
}

const gatewayMessages: Record<number, string> = {
  401: 'Unauthorized',
  413: 'Request Entity Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};
const errorExamples: Record<string, { message: string; details?: unknown }> = {
  validation_failed: { message: 'The request body is not valid', details: { issues: [{ path: 'end', message: 'end must be after start' }] } },
  forbidden: { message: 'The token carries no valid custom:tenantId claim' },
  not_through_edge: { message: 'Public routes are served only through the API’s public address' },
  not_found: { message: 'booking 01JQ6ZC3M9W2T1Q1J6J3B7D2XK was not found', details: { kind: 'booking', id: '01JQ6ZC3M9W2T1Q1J6J3B7D2XK' } },
  conflict: { message: 'A cancelled booking cannot be changed; only pending or confirmed ones can', details: { status: 'cancelled', editable: ['pending', 'confirmed'] } },
  version_mismatch: {
    message: 'booking 01JQ6ZC3M9W2T1Q1J6J3B7D2XK was changed by someone else; it is now at version 3',
    details: { kind: 'booking', id: '01JQ6ZC3M9W2T1Q1J6J3B7D2XK', currentVersion: 3 },
  },
  payload_too_large: { message: `The body is larger than ${maxBodyBytes} bytes` },
  unsupported_media_type: { message: 'Send the body as JSON with Content-Type: application/json' },
  idempotency_key_reused: {
    message: 'Idempotency-Key "6f1c1a52" was already used for a different request to POST /bookings; use a new key for a new request',
    details: { key: '6f1c1a52', operation: 'POST /bookings' },
  },
  precondition_required: { message: 'Send If-Match with the version you last read (its ETag) so concurrent edits are not lost' },
  rate_limited: { message: 'Too many requests from your address to this business; try again in 42 seconds', details: { retryAfterSeconds: 42 } },
  internal_error: { message: 'Something went wrong on our side; quote request 8f14e45f-ceea-467f-a0e6-1dcb2a5e7b1e if it persists' },
};

function errorExampleOf(status: number, gatewayOnly: boolean): unknown {
  if (gatewayOnly) return { message: gatewayMessages[status] };
  const code = errorCodes.find((candidate) => errorCatalog[candidate].status === status && errorExamples[candidate]);
  return code ? { error: { code, ...errorExamples[code] } } : undefined;
}

const tagDescriptions: Record<string, string> = {
  Settings: 'The business’s settings: name, public slug, time zone, language, booking approval, status lists',
  Locations: 'Where the business works: time zone and business hours',
  Clients: 'Client cards, their conversation, documents and the card’s actions (messages, payment reminders, booking invitations)',
  'Client fields': 'The business’s own fields on client cards, and which public forms collect them',
  Bookings: 'Appointments and their lifecycle (confirm, reject, cancel, complete, no-show)',
  Invoices: 'Invoices and their lifecycle (issue, pay, void); money in minor units',
  Estimates: 'Estimates and their lifecycle (issue, accept, decline)',
  'Work orders': 'Work orders, their statuses (from the settings) and their history',
  Leads: 'Leads and their conversion into active clients',
  'Automated messages': 'The settings page of automated messages: confirmations, status messages, reminders, follow-ups, auto-replies',
  Rules: 'Custom notification rules on orders, leads and bookings',
  Templates: 'The business’s own message texts per type, channel and language, and their preview',
  Notifications: 'What business-audience messages told the business',
  Operator: 'The platform operator’s routes (a token in the Cognito group operators): each business’s plan',
  Documents: 'Files clients uploaded through the public widget',
  Unsubscribe:
    'The page an email’s unsubscribe link opens and the one-click unsubscribe (RFC 8058) of marketing emails: no token (security: none), the link’s own signed, expiring token names the business and the client; every bad link gets the same neutral page',
  Imports: 'Importing clients from a CSV file: upload, preview of the guessed mapping, progress and the report of rows not imported',
  'Public widgets':
    'The widgets on the business’s website: no token (security: none), the business named by its public slug; rate-limited per business and per sender address; answers never tell whether the person was already a client',
};

const securityNote = (route: AnyRoute) =>
  route.tag === 'Unsubscribe'
    ? 'Security: public, no token. The `link` query parameter is the link’s signed (HS256), expiring token naming the business, the client and the kind of message; a bad, expired or forged one gets the same neutral 400 page, and only a valid one is counted against its client’s rate limit (429 `rate_limited` with Retry-After). No cookies are read or set and nothing redirects (RFC 8058).'
    : route.auth === 'public'
    ? 'Security: public, no token. The business is named by its `slug`; requests are rate-limited per business and, lower, per sender address (429 `rate_limited` with Retry-After), bodies are capped at 16 KiB and only plain text is accepted; the answer never tells whether the person was already a client.'
    : route.operator
      ? 'Security: the platform operator’s token (bearer JWT of a user in the Cognito group `operators`); a business’s token answers 403 `forbidden`. The business it acts on is the `tenantId` of the path.'
      : 'Security: a tenant token (bearer JWT, `custom:tenantId` claim); the tenant comes only from the token, and another tenant’s records answer 404.';

/** The OpenAPI 3.1 document of the given routes, from the same zod schemas that validate requests. */
export function openApiDocument(routes: readonly AnyRoute[]): Document {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'tenantToken', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'A Cognito ID token whose custom:tenantId claim names the business. API Gateway’s JWT authorizer verifies it as RFC8725 recommends: its signature against the user pool’s published keys (the algorithm from the key, never "none"), issuer, audience and expiry.',
  });
  for (const route of routes) {
    const key = `${route.method} ${route.path}`;
    const example = requestExampleOf(route);
    const request: RouteConfig['request'] = {
      ...(route.params ? { params: route.params as z.ZodObject } : {}),
      ...(route.query ? { query: route.query as z.ZodObject } : {}),
      ...(honoursIfMatch(route) || route.idempotencyKey ? { headers: headersOf(route) } : {}),
      ...(route.body
        ? {
            body: {
              required: true,
              content:
                route.bodyType === 'form'
                  ? Object.fromEntries(['application/x-www-form-urlencoded', 'multipart/form-data'].map((type) => [type, { schema: route.body!, ...(example === undefined ? {} : { example }) }]))
                  : { 'application/json': { schema: route.body, ...(example === undefined ? {} : { example }) } },
            },
          }
        : {}),
    };
    registry.registerPath({
      method: route.method.toLowerCase() as RouteConfig['method'],
      path: route.path,
      operationId: operationIdOf(route),
      tags: [route.tag],
      summary: route.summary,
      description: `${route.summary}.\n\n${securityNote(route)}${route.body ? ` Bodies up to ${(route.maxBodyBytes ?? maxBodyBytes) / 1024} KiB.` : ''}`,
      security: route.auth === 'tenant' ? [{ [bearer.name]: [] }] : [],
      request,
      responses: Object.fromEntries([...statusesOf(route)].map(([status, answer]) => [status, responseOf(route, status, answer)])),
    });
    void key;
  }
  const tags = [...new Set(routes.map((route) => route.tag))].sort();
  const document = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Client messages API',
      version: '1.0.0',
      description:
        'Records of a service business (settings, locations, clients, bookings, invoices, estimates, work orders, leads) that drive automated client messages.\n\n' +
        'Errors from the API are `{ "error": { "code", "message", "details" } }`, with `code` one of a fixed list and `details` shaped by the code. ' +
        'API Gateway answers some statuses itself (401 from its JWT authorizer, 429 throttling, 413 over 10 MiB, 500 when a function fails, 503 on timeout) with `{ "message" }` (GatewayError), which an HTTP API cannot change.',
      contact: { name: 'Client messages API', url: 'https://github.com/client-messages/client-messages', email: 'api@client-messages.example' },
      license: { name: 'UNLICENSED', url: 'https://github.com/client-messages/client-messages/blob/main/README.md' },
    },
    servers: [
      { url: 'http://localhost:3000', 'x-internal': true, description: 'Local: `npm start` (PORT, default 3000); a token from `npm run --silent token -- <tenant>`' },
      {
        url: 'https://{apiId}.execute-api.{region}.amazonaws.com',
        'x-internal': false,
        description: 'Deployed: the stack’s HTTP API ($default stage), `apiId` its id and `region` the AWS region it is deployed to; the ApiUrl output of `cdk deploy`',
        variables: { apiId: { default: 'abcdef1234' }, region: { default: 'eu-west-1' } },
      },
    ],
    tags: tags.map((name) => ({ name, description: tagDescriptions[name] ?? '' })),
  });
  describeParameters(document);
  boundIntegers(document);
  return document;
}

/** What a parameter whose schema says nothing of itself means, by its name. */
const parameterDescriptions: Record<string, string> = {
  status: 'Only records in this status',
  limit: 'Page size, 1 to 100',
  cursor: 'nextCursor of the previous page',
  channel: 'email or sms',
  messageType: 'The message type, e.g. booking_confirmed',
  slug: 'The business’s public address (its settings slug)',
  id: 'A record id as returned on create',
};

function describeParameters(document: Document): void {
  for (const operations of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(operations as Record<string, { parameters?: { name: string; description?: string }[] }>)) {
      for (const parameter of operation.parameters ?? []) parameter.description ??= parameterDescriptions[parameter.name];
    }
  }
}

/**
 * zod's `.int()` accepts only safe integers: said in every integer schema that gives no tighter
 * bound, so clients (and the OWASP rules) know the range.
 */
function boundIntegers(document: Document): void {
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (typeof value !== 'object' || value === null) return;
    const schema = value as Record<string, unknown>;
    if (schema['type'] === 'integer') {
      schema['format'] ??= 'int64';
      if (schema['minimum'] === undefined && schema['exclusiveMinimum'] === undefined) schema['minimum'] = Number.MIN_SAFE_INTEGER;
      if (schema['maximum'] === undefined && schema['exclusiveMaximum'] === undefined) schema['maximum'] = Number.MAX_SAFE_INTEGER;
    }
    Object.values(schema).forEach(visit);
  };
  visit(document.paths);
  visit(document.components);
}
