import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { startApi, type LocalApi } from './local-stack.ts';
import { apiClient, seedTenant, validBodies } from './api-client.ts';
import { publishWidgets } from './public-forms.ts';

/**
 * Every operation of the served OpenAPI document, driven with hostile requests: malformed and
 * oversized bodies, wrong types, deep nesting, prototype keys, huge numbers, bad path parameters,
 * cursors and ranges, bad If-Match and Idempotency-Key headers; with a fresh tenant's token, a
 * forged one and none. Whatever comes, the answer is never a 5xx, and an error has the Error shape.
 */

let api: LocalApi;
let token: string;
let seeded: Awaited<ReturnType<typeof seedTenant>>;
const run = Date.now().toString(36);
const tenant = `fuzz-${run}`;
const slug = `salon-fuzz-${run}`;

interface Operation {
  readonly method: string;
  readonly path: string;
  readonly pathParams: readonly string[];
  readonly queryParams: readonly string[];
  readonly hasBody: boolean;
  /** Statuses the document answers with an HTML page (a bad unsubscribe link), for a browser. */
  readonly pageStatuses: readonly number[];
}
let operations: Operation[] = [];

beforeAll(async () => {
  // With the message path running, so what the card's actions queue has a consumer, as in AWS.
  api = await startApi({ messaging: true });
  token = await api.tokenFor(tenant);
  // Records to aim at, and a slug so the public routes get past the business lookup to the input.
  const request = apiClient(api, tenant);
  seeded = await seedTenant(request);
  await publishWidgets(request, slug);
  vi.stubEnv('PUBLIC_RATE_LIMIT', '100000');
  vi.stubEnv('PUBLIC_SENDER_RATE_LIMIT', '100000');
  const document = (await (await fetch(`${api.baseUrl}/openapi.json`)).json()) as {
    paths: Record<string, Record<string, { parameters?: { in: string; name: string }[]; requestBody?: unknown; responses?: Record<string, { content?: Record<string, unknown> }> }>>;
  };
  operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path,
      pathParams: (operation.parameters ?? []).filter((parameter) => parameter.in === 'path').map((parameter) => parameter.name),
      queryParams: (operation.parameters ?? []).filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name),
      hasBody: operation.requestBody !== undefined,
      pageStatuses: Object.entries(operation.responses ?? {}).filter(([, response]) => response.content?.['text/html']).map(([status]) => Number(status)),
    })),
  );
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await api?.close();
});

const nested = (depth: number, open: string, close: string, inner = '1') => `${open.repeat(depth)}${inner}${close.repeat(depth)}`;

/** Bodies no route should take: each is a string sent as it is. */
const badBody = fc.oneof(
  fc.constantFrom(
    '{',
    '{"a": tru',
    "{'a': 1}",
    '[1, 2',
    'NaN',
    'null',
    '"text"',
    '[]',
    '0',
    '\u0000',
    '\uFEFF{}',
    '{"__proto__": {"polluted": true}}',
    '{"constructor": {"prototype": {"polluted": true}}}',
    '{"prototype": 1, "__proto__": null}',
    '{"a": 1e400, "b": -1e400, "c": 123456789012345678901234567890}',
    '{"limit": 1e308, "amountMinor": 9007199254740993, "size": -0}',
    nested(10_000, '[', ']'),
    nested(10_000, '{"a":', '}'),
    nested(10_000, '{"customFields":', '}', '{}'),
    `{"languages": ${nested(5_000, '{"es":', '}')}}`,
    `{"data": ${nested(5_000, '{"client":', '}')}}`,
    `{"text": "${'x'.repeat(70_000)}"}`,
    `{"notes": "${'€'.repeat(20_000)}"}`,
    JSON.stringify({ ids: Array.from({ length: 5_000 }, (_, i) => `id${i}`) }),
    JSON.stringify(Object.fromEntries(Array.from({ length: 3_000 }, (_, i) => [`k${i}`, i]))),
  ),
  fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 200 }),
  fc
    .record({
      key: fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'firstName', 'languages', 'trigger', 'customFields', 'data'),
      value: fc.jsonValue({ maxDepth: 3 }),
    })
    .map(({ key, value }) => `{${JSON.stringify(key)}: ${JSON.stringify(value)}}`),
);

/** Values put in one field of an otherwise valid body, as JSON text. */
const hostileValue = fc.oneof(
  fc.constantFrom(
    nested(10_000, '{"a":', '}'),
    nested(10_000, '[', ']'),
    '1e400',
    '-1e400',
    '123456789012345678901234567890',
    '9007199254740993',
    '-0',
    '0.1',
    'null',
    '[]',
    '{}',
    '""',
    '"\\u0000"',
    'true',
    `"${'x'.repeat(20_000)}"`,
    '{"__proto__": {"polluted": true}}',
    '{"constructor": {"prototype": {"polluted": true}}}',
    '"2026-12-01T06:00:00-05:00"',
    '"+275760-09-13T00:00:00Z"',
    '"2026-02-30"',
  ),
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
);

/** A route's valid body (when the tests know one) with one field, known or not, set to a hostile value. */
function mutatedBody(routeKey: string): fc.Arbitrary<string> {
  const valid = (validBodies(seeded)[routeKey] ?? {}) as Record<string, unknown>;
  const keys = [...Object.keys(valid), '__proto__', 'constructor', 'prototype', 'customFields', 'languages', 'data'];
  return fc.record({ key: fc.constantFrom(...keys), value: hostileValue }).map(({ key, value }) => {
    const marker = '"\u0001hostile\u0001"';
    return JSON.stringify({ ...valid, [key]: '\u0001hostile\u0001' }).replace(marker, value);
  });
}

/** Path parameter values: mostly not a record this tenant has. */
const badParam = fc.oneof(
  fc.constantFrom('', ' ', '..', '.', '%', '%E0%A4%A', '%00', '%2F', '__proto__', 'constructor', 'prototype', 'x'.repeat(5_000), '0'.repeat(26), 'booking_confirmed', 'sms', 'email'),
  fc.string({ maxLength: 40 }).map(encodeURIComponent),
  fc.stringMatching(/^[0-9A-Z]{26}$/),
);

const base64url = (value: string) => Buffer.from(value).toString('base64url');
/** Cursors that look like ours to varying degrees: random text, JSON of the wrong shape, keys of this tenant's partitions. */
const badCursor = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.jsonValue({ maxDepth: 3 }).map((value) => base64url(JSON.stringify(value))),
  fc
    .record(
      {
        pk: fc.constantFrom(`T#${tenant}`, 'T#other', '', `rate#public#${tenant}`),
        sk: fc.constantFrom('booking#x', 'client#', 'message#', '', 'settings#current'),
        gsi1pk: fc.constantFrom(`T#${tenant}#booking`, `T#${tenant}#invoice`, `T#${tenant}#order`, `T#${tenant}#notification`),
        gsi1sk: fc.constantFrom('2026-01-01T00:00:00.000Z#x', '', 'zzz'),
        gsi2pk: fc.constantFrom(`T#${tenant}#client#01J00000000000000000000000`, `T#${tenant}#client#`),
        gsi2sk: fc.constantFrom('booking#2026', 'message#', ''),
        after: fc.string({ maxLength: 10 }),
        when: fc.constantFrom('upcoming', 'past', 'cancelled'),
        asOf: fc.constantFrom('2026-01-01T00:00:00Z', 'yesterday'),
      },
      { requiredKeys: [] },
    )
    .map((key) => base64url(JSON.stringify(key))),
);

/** A query value for a parameter: inverted ranges, huge and odd numbers, bad cursors, repeated keys. */
function badQuery(params: readonly string[]): fc.Arbitrary<string> {
  const value = (name: string): fc.Arbitrary<string> => {
    if (name === 'cursor') return badCursor;
    if (name === 'clientId') return fc.oneof(fc.constant(seeded.clientId), fc.string({ maxLength: 30 }));
    if (name === 'limit') return fc.constantFrom('0', '-1', '101', '1e400', 'NaN', '1.5', '99999999999999999999', '', '0x10', ' 5');
    if (name === 'from' || name === 'to') {
      return fc.constantFrom('2026-12-01T10:00:00+05:00', '2026-12-01T06:00:00-05:00', '2026-05-01', '2026-02-30', '2026-13-01T00:00:00Z', '+275760-09-13T00:00:00Z', '9999-12-31T23:59:59+23:59', 'yesterday', '');
    }
    return fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('__proto__', 'x'.repeat(3_000), 'true', 'null'));
  };
  const pairs = fc.array(fc.oneof(...[...params, 'unknown', '__proto__'].map((name) => value(name).map((v) => [name, v] as const))), { maxLength: 4 });
  // The same range inverted as instants though in order as text, which the store would refuse.
  const inverted = fc.constant([
    ['from', '2026-12-01T06:00:00-05:00'],
    ['to', '2026-12-01T10:00:00+01:00'],
  ] as const);
  return fc.oneof(pairs, inverted).map((entries) => entries.map(([name, v]) => `${encodeURIComponent(name)}=${encodeURIComponent(v)}`).join('&'));
}

const badIfMatch = fc.constantFrom(undefined, '', '*', '"abc"', 'W/"-1"', '"99999999999"', '"1", "2"', '"0"', '1e3', '"' + '9'.repeat(500) + '"', '\u00e9');
const badIdempotencyKey = fc.constantFrom(undefined, '', ' ', 'a'.repeat(101), 'key with spaces', '../../etc', '\u00e9\u00e9', 'ok-key-1');
const auth = fc.oneof({ arbitrary: fc.constant('tenant'), weight: 6 }, fc.constantFrom('none', 'forged', 'garbage'));
const contentType = fc.oneof(
  { arbitrary: fc.constant('application/json'), weight: 6 },
  fc.constantFrom('application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', '', 'application/vnd.api+json'),
);

interface FuzzRequest {
  readonly params: readonly string[];
  readonly query: string;
  readonly body: string | undefined;
  readonly ifMatch: string | undefined;
  readonly idempotencyKey: string | undefined;
  readonly auth: string;
  readonly contentType: string;
}

/** A value the parameter could really have: a seeded record's id, a message type, the slug. */
function goodParam(name: string): fc.Arbitrary<string> {
  if (name === 'slug') return fc.constant(slug);
  if (name === 'messageType') return fc.constantFrom('booking_confirmed', 'free_form', 'auto_reply_contact_form');
  if (name === 'channel') return fc.constantFrom('sms', 'email');
  return fc.constantFrom(...Object.values(seeded.ids));
}

function requestFor(operation: Operation): fc.Arbitrary<FuzzRequest> {
  const routeKey = `${operation.method} ${operation.path}`;
  return fc.record({
    params: fc.tuple(...operation.pathParams.map((name) => fc.oneof(goodParam(name), badParam))),
    query: badQuery(operation.queryParams),
    // fetch sends no body with a GET; a body where a route takes none is a 400 of its own.
    body: operation.hasBody
      ? fc.oneof({ arbitrary: badBody, weight: 1 }, { arbitrary: mutatedBody(routeKey), weight: 2 })
      : operation.method === 'GET'
        ? fc.constant(undefined)
        : fc.option(badBody, { freq: 4 }).map((body) => body ?? undefined),
    ifMatch: fc.oneof(fc.constant('"1"'), badIfMatch),
    idempotencyKey: badIdempotencyKey,
    auth,
    contentType,
  });
}

async function send(operation: Operation, request: FuzzRequest) {
  let path = operation.path;
  operation.pathParams.forEach((name, index) => {
    path = path.replace(`{${name}}`, request.params[index]!);
  });
  const headers: Record<string, string> = {};
  if (request.auth === 'tenant') headers.authorization = `Bearer ${token}`;
  if (request.auth === 'forged') headers.authorization = `Bearer ${token.slice(0, -4)}AAAA`;
  if (request.auth === 'garbage') headers.authorization = 'Bearer not.a.token';
  if (request.body !== undefined && request.contentType !== '') headers['content-type'] = request.contentType;
  if (request.ifMatch !== undefined) headers['if-match'] = request.ifMatch;
  if (request.idempotencyKey !== undefined) headers['idempotency-key'] = request.idempotencyKey;
  const response = await fetch(`${api.baseUrl}${path}${request.query ? `?${request.query}` : ''}`, {
    method: operation.method,
    headers,
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  const text = await response.text();
  return { status: response.status, text, contentType: response.headers.get('content-type') ?? '' };
}

const isErrorShape = (body: Record<string, unknown>): boolean => {
  const error = body.error as { code?: unknown; message?: unknown } | undefined;
  return typeof error?.code === 'string' && /^[a-z_]+$/.test(error.code) && typeof error.message === 'string' && /\S/.test(error.message);
};

describe('every route of /openapi.json, fuzzed', () => {
  it('finds the routes in the served document', () => {
    expect(operations.length).toBeGreaterThan(50);
  });

  it('answers every hostile request to every operation without a 5xx, errors in the Error shape', async () => {
    // Every bad answer is collected, so one run lists them all.
    const failures: string[] = [];
    const stats: Record<string, number> = {};
    for (const [index, operation] of operations.entries()) {
      await fc.assert(
        fc.asyncProperty(requestFor(operation), async (request) => {
          const { status, text, contentType } = await send(operation, request);
          const where = `${operation.method} ${operation.path} ${JSON.stringify({ ...request, body: request.body?.slice(0, 200) })}: ${status} ${text.slice(0, 300)}`;
          if (status >= 500) failures.push(where);
          stats[status] = (stats[status] ?? 0) + 1;
          if (status < 400 || status >= 500) return;
          if (contentType.startsWith('text/html') && operation.pageStatuses.includes(status)) {
            if (!text.startsWith('<!DOCTYPE html>')) failures.push(`not a page: ${where}`);
            return;
          }
          let body: Record<string, unknown> = {};
          try {
            body = JSON.parse(text) as Record<string, unknown>;
          } catch {
            failures.push(`not JSON: ${where}`);
          }
          // What API Gateway answers itself (no valid token, a body over its limit) has its own shape; the rest is ours.
          const gateway = !('error' in body) && (status === 401 || status === 413);
          const shaped = gateway ? typeof body.message === 'string' : isErrorShape(body);
          if (!shaped) failures.push(`not the Error shape: ${where}`);
        }),
        { numRuns: Number(process.env.FUZZ_RUNS ?? 12), seed: Number(process.env.FUZZ_SEED ?? 1000) + index },
      );
    }
    expect(failures).toEqual([]);
    // Most requests must get past authentication and routing to the handlers, or the run proves little.
    const answered = Object.entries(stats).filter(([status]) => status !== '401').reduce((sum, [, count]) => sum + count, 0);
    expect(answered / Object.values(stats).reduce((sum, count) => sum + count, 0)).toBeGreaterThan(0.6);
  }, 120_000);
});
