/**
 * The local stack's own pieces, with fixture areas instead of the real handlers: the API Gateway
 * stand-in (routing, authorizer, event shape, responses, limits), the table DynamoDB Local gets,
 * DynamoDB Local's lifecycle, and the token command.
 */
import { execFile, spawn } from 'node:child_process';
import { request } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { decodeJwt, SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tableDesign } from '#adapters/dynamodb/table-design.ts';
import { ensureTable, findFreePort, startDynamoDbLocal } from '#local/dynamodb-local.ts';
import { createLocalServer, MAX_BODY_BYTES, type LocalArea, type RequestLogEntry } from '#local/http-server.ts';
import type { AddressInfo } from 'node:net';
import { createLocalTokenVerifier, generateSecret, loadOrCreateSecret, TENANT_CLAIM } from '#local/token-key.ts';
import { localDynamoDbClient, startApi, useLocalStackEnv, type LocalApi } from './local-stack.ts';
import type { HttpMethod } from '#http/route.ts';
import { corsOf } from '../support/cors.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

// ---------------------------------------------------------------------------------------------
// Fixture areas

interface Invocation {
  readonly event: APIGatewayProxyEventV2WithJWTAuthorizer;
  readonly context: Context;
}

const invocations: Invocation[] = [];

const json = (statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

const echo = async (event: APIGatewayProxyEventV2WithJWTAuthorizer, context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
  invocations.push({ event, context });
  return json(200, {
    event,
    context: {
      functionName: context.functionName,
      awsRequestId: context.awsRequestId,
      invokedFunctionArn: context.invokedFunctionArn,
      remaining: context.getRemainingTimeInMillis(),
    },
  });
};

/** Fixture routes, written as route keys (`GET /bookings`), all with one kind of auth. */
const routesOf = (auth: 'tenant' | 'public', keys: readonly `${HttpMethod} /${string}`[]): LocalArea['routes'] =>
  keys.map((key) => {
    const [method, path] = key.split(' ') as [HttpMethod, string];
    return { method, path, auth };
  });

const fixtureAreas: LocalArea[] = [
  {
    area: 'bookings',
    routes: routesOf('tenant', ['GET /bookings', 'POST /bookings', 'GET /bookings/{id}', 'DELETE /bookings/{id}', 'GET /bookings/upcoming']),
    handler: echo,
  },
  {
    area: 'public',
    routes: routesOf('public', ['POST /public/{tenantSlug}/contact', 'GET /files/{proxy+}']),
    handler: echo,
  },
  {
    area: 'special',
    routes: routesOf('public', ['POST /size', 'GET /boom', 'GET /binary', 'GET /cookies', 'GET /inferred', 'GET /slow']),
    handler: async (event) => {
      invocations.push({ event, context: undefined as unknown as Context });
      switch (event.routeKey) {
        case 'POST /size':
          return json(200, { bytes: event.body === undefined ? 0 : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8').length });
        case 'GET /boom':
          throw new Error('handler exploded');
        case 'GET /binary':
          return { statusCode: 200, headers: { 'content-type': 'image/png' }, body: Buffer.from([0, 1, 2, 255]).toString('base64'), isBase64Encoded: true };
        case 'GET /cookies':
          return { statusCode: 204, cookies: ['a=1; Path=/', 'b=2; HttpOnly'], headers: { 'X-Count': 2 } };
        case 'GET /inferred':
          return { hello: 'world' } as unknown as APIGatewayProxyStructuredResultV2;
        case 'GET /slow':
          await new Promise((resolve) => setTimeout(resolve, 1_000));
          return json(200, {});
        default:
          return json(500, { unexpected: event.routeKey });
      }
    },
  },
];

interface EchoBody {
  event: APIGatewayProxyEventV2WithJWTAuthorizer;
  context: { functionName: string; awsRequestId: string; invokedFunctionArn: string; remaining: number };
}

let api: LocalApi;
const logLines: RequestLogEntry[] = [];

beforeAll(async () => {
  api = await startApi({ areas: fixtureAreas, log: (entry) => logLines.push(entry), handlerTimeoutMs: 500 });
});
afterAll(async () => {
  await api?.close();
});

async function call(path: string, init: RequestInit & { tenant?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.tenant) headers.set('authorization', `Bearer ${await api.tokenFor(init.tenant)}`);
  return fetch(`${api.baseUrl}${path}`, { ...init, headers });
}

async function echoed(response: Response): Promise<EchoBody> {
  expect(response.status).toBe(200);
  return (await response.json()) as EchoBody;
}

// ---------------------------------------------------------------------------------------------

describe('routing', () => {
  it('matches method and path, decodes path parameters and keeps the raw path', async () => {
    const { event } = await echoed(await call('/bookings/abc%20d%C3%A9f', { tenant: 'acme' }));
    expect(event.routeKey).toBe('GET /bookings/{id}');
    expect(event.rawPath).toBe('/bookings/abc%20d%C3%A9f');
    expect(event.pathParameters).toEqual({ id: 'abc déf' });
    expect(event.requestContext.routeKey).toBe('GET /bookings/{id}');
    expect(event.requestContext.http.method).toBe('GET');
    expect(event.requestContext.http.path).toBe('/bookings/abc%20d%C3%A9f');
  });

  it('prefers a literal segment over a parameter, whatever the declaration order', async () => {
    const { event } = await echoed(await call('/bookings/upcoming', { tenant: 'acme' }));
    expect(event.routeKey).toBe('GET /bookings/upcoming');
    expect(event.pathParameters).toBeUndefined();
  });

  it('routes a parameter in the middle of the path and a greedy parameter', async () => {
    const contact = await echoed(await call('/public/acme-salon/contact', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }));
    expect(contact.event.pathParameters).toEqual({ tenantSlug: 'acme-salon' });
    const file = await echoed(await call('/files/a/b/c.pdf'));
    expect(file.event.routeKey).toBe('GET /files/{proxy+}');
    expect(file.event.pathParameters).toEqual({ proxy: 'a/b/c.pdf' });
  });

  it('answers 404 in the API error shape for an unknown path', async () => {
    for (const path of ['/x', '/bookings/a/b', '/files/', '/']) {
      const response = await call(path, { tenant: 'acme' });
      expect(response.status, path).toBe(404);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(await response.json()).toEqual({ error: { code: 'not_found', message: `No route for GET ${path}` } });
    }
  });

  it('answers 405 with Allow for a known path and the wrong method', async () => {
    const response = await call('/bookings/b1', { method: 'PUT', tenant: 'acme', body: '{}' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('DELETE, GET');
    expect(await response.json()).toEqual({ error: { code: 'method_not_allowed', message: 'No route for PUT /bookings/b1' } });
  });

  it('refuses a catalog that declares the same route twice', async () => {
    const twice: LocalArea[] = [
      { area: 'a', routes: [{ method: 'GET', path: '/same/{id}', auth: 'public' }], handler: echo },
      { area: 'b', routes: [{ method: 'GET', path: '/same/{id}', auth: 'public' }], handler: echo },
    ];
    await expect(startApi({ areas: twice })).rejects.toThrow('GET /same/{id} is declared by both a and b');
  });
});

describe('authorizer', () => {
  const unauthorized = async (response: Response): Promise<void> => {
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ message: 'Unauthorized' });
  };
  const expectNoInvocation = async (request: () => Promise<Response>): Promise<void> => {
    const before = invocations.length;
    await unauthorized(await request());
    expect(invocations.length).toBe(before);
  };
  const bearer = (token: string): RequestInit => ({ headers: { authorization: `Bearer ${token}` } });

  it('rejects a request without a token', async () => {
    await expectNoInvocation(() => call('/bookings'));
    await expectNoInvocation(() => call('/bookings', { headers: { authorization: 'Bearer ' } }));
  });

  it('rejects a token signed with another key', async () => {
    const otherKey = generateSecret();
    const forged = await new SignJWT({ [TENANT_CLAIM]: 'acme', token_use: 'id' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('local')
      .setAudience('local')
      .setSubject('x')
      .setExpirationTime('1h')
      .sign(otherKey);
    await expectNoInvocation(() => call('/bookings', bearer(forged)));
  });

  it('rejects an expired token', async () => {
    const expired = await api.tokenFor('acme', { expiresIn: Math.floor(Date.now() / 1000) - 60 });
    await expectNoInvocation(() => call('/bookings', bearer(expired)));
  });

  it('rejects a wrong issuer, a wrong audience, an unsigned token and garbage', async () => {
    const sign = (iss: string, aud: string): Promise<string> =>
      new SignJWT({ [TENANT_CLAIM]: 'acme' }).setProtectedHeader({ alg: 'HS256' }).setIssuer(iss).setAudience(aud).setExpirationTime('1h').sign(api.secret);
    await expectNoInvocation(async () => call('/bookings', bearer(await sign('https://cognito-idp.example/evil', 'local'))));
    await expectNoInvocation(async () => call('/bookings', bearer(await sign('local', 'other-client'))));
    const unsigned = new UnsecuredJWT({ [TENANT_CLAIM]: 'acme' }).setIssuer('local').setAudience('local').setExpirationTime('1h').encode();
    await expectNoInvocation(() => call('/bookings', bearer(unsigned)));
    await expectNoInvocation(() => call('/bookings', bearer('not.a.jwt')));
  });

  it('passes the verified claims to the handler as API Gateway does (strings), with scopes null', async () => {
    const token = await api.tokenFor('acme', { claims: { 'cognito:groups': ['owners', 'staff'], email_verified: true } });
    const { event, context } = await echoed(await call('/bookings', bearer(token)));
    const claims = event.requestContext.authorizer.jwt.claims;
    const decoded = decodeJwt(token);
    expect(claims).toEqual({
      [TENANT_CLAIM]: 'acme',
      sub: 'local-user-acme',
      iss: 'local',
      aud: 'local',
      token_use: 'id',
      iat: String(decoded.iat),
      exp: String(decoded.exp),
      'cognito:groups': '[owners staff]',
      email_verified: 'true',
    });
    expect(Number(claims['exp']) - Number(claims['iat'])).toBe(12 * 3600);
    expect(event.requestContext.authorizer.jwt.scopes).toBeNull();
    expect(context.functionName).toContain('bookings');
  });

  it('accepts the token without the Bearer prefix, like API Gateway', async () => {
    const { event } = await echoed(await call('/bookings', { headers: { authorization: await api.tokenFor('acme') } }));
    expect(event.requestContext.authorizer.jwt.claims[TENANT_CLAIM]).toBe('acme');
  });

  it('does not authorize public routes, even when a token is sent', async () => {
    const { event } = await echoed(await call('/files/x', { headers: { authorization: 'Bearer garbage' } }));
    expect(event.requestContext).not.toHaveProperty('authorizer');
  });
});

describe('event', () => {
  it('has the payload 2.0 shape', async () => {
    const response = await call('/bookings', { tenant: 'acme', headers: { 'X-Custom-Header': 'One', 'User-Agent': 'vitest-agent' } });
    const { event, context } = await echoed(response);
    expect(event.version).toBe('2.0');
    expect(event.routeKey).toBe('GET /bookings');
    expect(event.rawQueryString).toBe('');
    expect(event.queryStringParameters).toBeUndefined();
    expect(event.pathParameters).toBeUndefined();
    expect(event.body).toBeUndefined();
    expect(event.isBase64Encoded).toBe(false);
    expect(event.headers['x-custom-header']).toBe('One');
    expect(Object.keys(event.headers).every((name) => name === name.toLowerCase())).toBe(true);
    const rc = event.requestContext;
    expect(rc.stage).toBe('$default');
    expect(rc.http).toEqual({ method: 'GET', path: '/bookings', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest-agent' });
    expect(rc.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(Math.abs(rc.timeEpoch - Date.now())).toBeLessThan(10_000);
    expect(rc.requestId).toBe(context.awsRequestId);
    expect(response.headers.get('apigw-requestid')).toBe(rc.requestId);
    expect(context.invokedFunctionArn).toMatch(/^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:/);
    expect(context.remaining).toBeGreaterThan(0);
  });

  it('keeps the raw query string and joins repeated parameters with commas', async () => {
    const { event } = await echoed(await call('/bookings?status=a&status=b&q=x%20y&from=2025-01-01T10%3A00&empty=', { tenant: 'acme' }));
    expect(event.rawQueryString).toBe('status=a&status=b&q=x%20y&from=2025-01-01T10%3A00&empty=');
    expect(event.queryStringParameters).toEqual({ status: 'a,b', q: 'x y', from: '2025-01-01T10:00', empty: '' });
  });

  it('moves cookies to `cookies` and joins repeated headers with commas', async () => {
    // fetch would merge repeated headers itself; node:http sends them as they are.
    const token = await api.tokenFor('acme');
    const raw = await new Promise<string>((resolveBody, reject) => {
      const req = request(`${api.baseUrl}/bookings`, {
        headers: ['host', new URL(api.baseUrl).host, 'authorization', `Bearer ${token}`, 'cookie', 'a=1; b=2', 'cookie', 'c=3', 'x-multi', 'one', 'x-multi', 'two'],
      });
      req.on('response', (res) => {
        let data = '';
        res.on('data', (chunk: Buffer) => (data += chunk.toString()));
        res.on('end', () => resolveBody(data));
      });
      req.on('error', reject);
      req.end();
    });
    const { event } = JSON.parse(raw) as EchoBody;
    expect(event.cookies).toEqual(['a=1', 'b=2', 'c=3']);
    expect(event.headers).not.toHaveProperty('cookie');
    expect(event.headers['x-multi']).toBe('one,two');
  });

  it('passes a text body as it is and a binary one base64-encoded', async () => {
    const payload = JSON.stringify({ name: 'Zoë', when: '2025-03-30T01:30' });
    const text = await echoed(await call('/bookings', { method: 'POST', tenant: 'acme', body: payload, headers: { 'content-type': 'application/json; charset=utf-8' } }));
    expect(text.event.body).toBe(payload);
    expect(text.event.isBase64Encoded).toBe(false);

    const bytes = Buffer.from([0, 159, 146, 150, 255]);
    const binary = await echoed(await call('/bookings', { method: 'POST', tenant: 'acme', body: bytes, headers: { 'content-type': 'application/pdf' } }));
    expect(binary.event.isBase64Encoded).toBe(true);
    expect(Buffer.from(binary.event.body!, 'base64').equals(bytes)).toBe(true);
  });
});

describe('responses', () => {
  it('decodes a base64 body, writes cookies as set-cookie and stringifies header values', async () => {
    const binary = await call('/binary');
    expect(binary.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await binary.arrayBuffer())).toEqual(Buffer.from([0, 1, 2, 255]));
    const cookies = await call('/cookies');
    expect(cookies.status).toBe(204);
    expect(cookies.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
    expect(cookies.headers.get('x-count')).toBe('2');
  });

  it('infers 200 JSON from a result without statusCode', async () => {
    const response = await call('/inferred');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ hello: 'world' });
  });

  it('turns a handler exception into 500 Internal Server Error and reports it on stderr', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const response = await call('/boom');
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({ message: 'Internal Server Error' });
      expect(stderr).toHaveBeenCalledWith(expect.stringContaining('GET /boom handler threw: Error: handler exploded'));
    } finally {
      stderr.mockRestore();
    }
  });

  it('gives up on a handler that exceeds the integration timeout', async () => {
    const response = await call('/slow');
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ message: 'Service Unavailable' });
  });

  it('answers CORS preflights and adds CORS headers to responses by the deployed policy, not by what the browser asks', async () => {
    const preflight = await call('/bookings/b1', {
      method: 'OPTIONS',
      headers: { origin: 'https://salon.example', 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'authorization,if-match,sentry-trace,baggage' },
    });
    // The fixture has public routes, so any origin, as the stack allows with them.
    expect(corsOf(preflight)).toEqual({ status: 204, allowOrigin: '*', allowMethods: 'GET,POST,PUT,PATCH,DELETE,OPTIONS', allowHeaders: 'Authorization,*', maxAge: '3600' });
    const actual = await call('/bookings', { tenant: 'acme', headers: { origin: 'https://salon.example' } });
    expect(actual.headers.get('access-control-allow-origin')).toBe('*');
    expect(actual.headers.get('access-control-expose-headers')).toBe('ETag,Retry-After,Location,apigw-requestid');
    const sameOrigin = await call('/bookings', { tenant: 'acme' });
    expect(sameOrigin.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows only the SPA’s origin when no route is public, as the stack does', async () => {
    const privateServer = createLocalServer({ areas: [fixtureAreas[0]!], verifyToken: async () => ({}), log: false });
    await new Promise<void>((resolve) => privateServer.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = privateServer.address() as AddressInfo;
      const preflight = (origin: string) =>
        fetch(`http://127.0.0.1:${port}/bookings`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'GET' } });
      expect((await preflight('http://localhost:5173')).headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
      expect((await preflight('https://elsewhere.example')).headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await new Promise((resolve) => privateServer.close(resolve));
    }
  });

  it('logs one line per request with method, path, status and duration', async () => {
    const before = logLines.length;
    await call('/bookings?x=1', { tenant: 'acme' });
    await call('/nope');
    expect(logLines.slice(before)).toEqual([
      expect.objectContaining({ method: 'GET', path: '/bookings', route: 'GET /bookings', area: 'bookings', status: 200, ms: expect.any(Number) }),
      expect.objectContaining({ method: 'GET', path: '/nope', route: null, status: 404 }),
    ]);
  });
});

describe('body limit', () => {
  const size = async (body: Uint8Array, headers: Record<string, string> = {}): Promise<Response> =>
    call('/size', { method: 'POST', body, headers: { 'content-type': 'application/octet-stream', ...headers }, duplex: 'half' } as RequestInit);

  it('accepts exactly 10 MiB and refuses one byte more with 413', async () => {
    expect(MAX_BODY_BYTES).toBe(10 * 1024 * 1024);
    const accepted = await size(new Uint8Array(MAX_BODY_BYTES));
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toEqual({ bytes: MAX_BODY_BYTES });
    const before = invocations.length;
    const refused = await size(new Uint8Array(MAX_BODY_BYTES + 1));
    expect(refused.status).toBe(413);
    expect(await refused.json()).toEqual({ message: 'Request Entity Too Large' });
    expect(invocations.length).toBe(before);
  });

  it('refuses an oversized chunked body (no Content-Length) too', async () => {
    const small = await startApi({ areas: fixtureAreas, maxBodyBytes: 1024 });
    try {
      const chunks = Readable.from([Buffer.alloc(600), Buffer.alloc(600)]);
      const response = await fetch(`${small.baseUrl}/size`, {
        method: 'POST',
        body: Readable.toWeb(chunks) as ReadableStream,
        headers: { 'content-type': 'application/octet-stream' },
        duplex: 'half',
      } as RequestInit);
      expect(response.status).toBe(413);
      const ok = await fetch(`${small.baseUrl}/size`, { method: 'POST', body: 'x'.repeat(1024), headers: { 'content-type': 'text/plain' } });
      expect(await ok.json()).toEqual({ bytes: 1024 });
    } finally {
      await small.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe('table', () => {
  it('is created by ensureTable with pk/sk, on-demand billing, a NEW_AND_OLD_IMAGES stream, the GSIs and time to live', async () => {
    const { tableName } = useLocalStackEnv();
    const client = localDynamoDbClient();
    try {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      expect(Table?.TableStatus).toBe('ACTIVE');
      expect(Table?.KeySchema).toEqual([
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ]);
      expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
      expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
      expect(Table?.LatestStreamArn).toMatch(/^arn:aws:dynamodb:/);
      const indexes = (Table?.GlobalSecondaryIndexes ?? []).map((index) => ({
        name: index.IndexName,
        keys: index.KeySchema?.map((key) => `${key.KeyType}:${key.AttributeName}`),
        projection: index.Projection?.ProjectionType,
      }));
      expect(indexes.sort((a, b) => String(a.name).localeCompare(String(b.name)))).toEqual(
        tableDesign.indexes
          .map((index) => ({ name: index.name, keys: [`HASH:${index.partitionKey}`, `RANGE:${index.sortKey}`], projection: 'ALL' }))
          .sort((a, b) => a.name.localeCompare(b.name)),
      );
      const { TimeToLiveDescription } = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
      expect(TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: tableDesign.timeToLiveAttribute });
      // Idempotent.
      const again = await ensureTable(client, tableName);
      expect(again.created).toBe(false);
      expect(again.updated).toEqual([]);
    } finally {
      client.destroy();
    }
  });

  it('adds a missing stream, missing indexes and time to live to a table kept from an earlier run', async () => {
    const client = localDynamoDbClient();
    const tableName = `old-layout-${Date.now()}`;
    try {
      await client.send(
        new CreateTableCommand({
          TableName: tableName,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'S' },
          ],
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
        }),
      );
      const result = await ensureTable(client, tableName);
      expect(result.created).toBe(false);
      expect(result.updated).toEqual(['stream', ...tableDesign.indexes.map((index) => `index ${index.name}`), 'time to live']);
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      expect(Table?.StreamSpecification?.StreamViewType).toBe('NEW_AND_OLD_IMAGES');
      expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName).sort()).toEqual(tableDesign.indexes.map((index) => index.name).sort());
      const { TimeToLiveDescription } = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
      expect(TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: tableDesign.timeToLiveAttribute });
    } finally {
      await client.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
      client.destroy();
    }
  });
});

// ---------------------------------------------------------------------------------------------

/** Linux keeps an exited child of a dead parent as a zombie until it is reaped; that counts as gone. */
function processAlive(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  if (existsSync('/proc/self/stat')) {
    try {
      const state = readFileSync(stat, 'utf8').split(') ')[1]?.[0];
      return state !== undefined && state !== 'Z' && state !== 'X';
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitGone(pid: number, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (processAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

describe('DynamoDB Local lifecycle', () => {
  it('starts on a free port and stop() resolves only once java has exited', async () => {
    const instance = await startDynamoDbLocal({ port: await findFreePort() });
    expect(processAlive(instance.pid)).toBe(true);
    expect(instance.exited).toBe(false);
    await instance.stop();
    expect(instance.exited).toBe(true);
    expect(await waitGone(instance.pid, 1_000)).toBe(true);
    await instance.stop(); // a second stop is harmless
  }, 60_000);

  it('fails clearly when the port is taken', async () => {
    const port = Number(new URL(useLocalStackEnv().dynamodbEndpoint).port);
    await expect(startDynamoDbLocal({ port })).rejects.toThrow(`Port ${port} is already in use`);
  });

  it('tells the user to install Java 17+ when java is missing', async () => {
    const path = process.env['PATH'];
    process.env['PATH'] = '/nonexistent';
    try {
      await expect(startDynamoDbLocal({ port: await findFreePort() })).rejects.toThrow(/needs Java 17 or newer, and `java` was not found/);
    } finally {
      process.env['PATH'] = path;
    }
  });

  // A separate Node process starts DynamoDB Local and then dies in various ways; java must not survive it.
  // It dies only when told (a signal, or a line on its stdin), once the test has seen java running,
  // so a slow test process never finds java already gone for the wrong reason.
  const script = (ending: string): string => `
    import { findFreePort, startDynamoDbLocal } from ${JSON.stringify(join(repoRoot, 'local/dynamodb-local.ts'))};
    const instance = await startDynamoDbLocal({ port: await findFreePort() });
    process.stdin.once('data', () => { ${ending} });
    process.stdout.write(instance.pid + '\\n');
  `;
  const endings: Record<string, { code: string; signal?: NodeJS.Signals }> = {
    'SIGTERM': { code: '', signal: 'SIGTERM' },
    'SIGINT (Ctrl-C)': { code: '', signal: 'SIGINT' },
    'SIGKILL (no handler can run)': { code: '', signal: 'SIGKILL' },
    'an uncaught exception': { code: 'throw new Error("boom");' },
    'process.exit()': { code: 'process.exit(3);' },
  };
  for (const [name, { code, signal }] of Object.entries(endings)) {
    it(`leaves no java process behind after ${name} in the parent`, async () => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script(code)], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const javaPid = await new Promise<number>((resolvePid, reject) => {
        child.stdout.once('data', (chunk: Buffer) => resolvePid(Number(chunk.toString().trim())));
        child.once('exit', () => reject(new Error(`child exited early: ${stderr}`)));
      });
      expect(processAlive(javaPid)).toBe(true);
      const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
      if (signal) child.kill(signal);
      else child.stdin.write('go\n');
      await exited;
      expect(await waitGone(javaPid, 30_000)).toBe(true);
    }, 60_000);
  }
});

// ---------------------------------------------------------------------------------------------

describe('token command', () => {
  const run = promisify(execFile);
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'token-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints only a JWT the local server accepts, with the tenant claim', async () => {
    const secretFile = join(dir, 'nested', 'jwt-secret');
    const env = { ...process.env, LOCAL_JWT_SECRET_FILE: secretFile };
    const { stdout } = await run(process.execPath, [join(repoRoot, 'bin/token.ts'), 'acme_salon-1'], { env });
    expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const claims = await createLocalTokenVerifier(await loadOrCreateSecret(secretFile))(stdout.trim());
    expect(claims).toMatchObject({ [TENANT_CLAIM]: 'acme_salon-1', iss: 'local', aud: 'local', token_use: 'id', sub: expect.any(String) });
    expect(claims.exp! - claims.iat!).toBe(12 * 3600);
    // The key is kept: a second token verifies with the same key.
    const second = await run(process.execPath, [join(repoRoot, 'bin/token.ts'), 'other'], { env });
    await expect(createLocalTokenVerifier(await loadOrCreateSecret(secretFile))(second.stdout.trim())).resolves.toMatchObject({ [TENANT_CLAIM]: 'other' });
  });

  it('exits 2 with usage on stderr for a bad or missing tenant id', async () => {
    const env = { ...process.env, LOCAL_JWT_SECRET_FILE: join(dir, 'jwt-secret') };
    for (const args of [[], ['bad tenant'], ['x'.repeat(65)], ['a/b'], ['acme', 'extra']]) {
      const failure = await run(process.execPath, [join(repoRoot, 'bin/token.ts'), ...args], { env }).then(
        () => undefined,
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
      expect(failure?.code, JSON.stringify(args)).toBe(2);
      expect(failure?.stdout).toBe('');
      expect(failure?.stderr).toContain('Usage: npm run --silent token -- <tenantId>');
    }
  });
});
