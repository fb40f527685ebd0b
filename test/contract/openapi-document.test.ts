import { describe, expect, it } from 'vitest';
import { recordAreas } from '#api/record-areas.ts';
import { DomainError } from '#domain/errors.ts';
import { errorCatalog, errorCodes } from '#http/error-catalog.ts';
import { openApiDocument } from '#http/openapi-document.ts';
import { errorResult } from '#http/responses.ts';
import { routesWithRequestExamples } from '#http/openapi-examples.ts';

const routes = recordAreas.flatMap((area) => area.routes);
const document = openApiDocument(routes) as any;
const operations = routes.map((route) => ({ route, key: `${route.method} ${route.path}`, operation: document.paths[route.path][route.method.toLowerCase()] }));
const statusesOf = (operation: any) => Object.keys(operation.responses).map(Number);

describe('the OpenAPI document says everything the server answers', () => {
  it('names every operation with a unique, readable operationId', () => {
    const ids = operations.map(({ operation }) => operation.operationId);
    for (const id of ids) expect(id).toMatch(/^[a-z][A-Za-z0-9]+$/);
    expect(new Set(ids).size).toBe(ids.length);
    const byKey = Object.fromEntries(operations.map(({ key, operation }) => [key, operation.operationId]));
    expect(byKey).toMatchObject({
      'GET /bookings': 'listBookings',
      'POST /bookings': 'createBooking',
      'GET /bookings/{id}': 'getBooking',
      'PATCH /bookings/{id}': 'updateBooking',
      'POST /bookings/{id}/cancel': 'cancelBooking',
      'DELETE /clients/{id}': 'deleteClient',
      'PUT /settings': 'replaceSettings',
      'GET /clients/{id}/bookings': 'listClientBookings',
    });
  });

  it('gives every operation the statuses its route implies', () => {
    for (const { route, key, operation } of operations) {
      const statuses = statusesOf(operation);
      const expected = [400, 429, 500, 503];
      if (route.auth === 'tenant') expected.push(401, 403);
      if (route.params) expected.push(404);
      if (route.body) expected.push(413, 415);
      if (route.ifMatch) expected.push(412, 428);
      if (route.idempotencyKey) expected.push(409, 422);
      expect(statuses, key).toEqual(expect.arrayContaining(expected));
      for (const status of Object.keys(route.responses)) expect(statuses, key).toContain(Number(status));
    }
  });

  it('answers API Gateway’s own statuses with its own body, and ours with the per-code Error', () => {
    const createBooking = document.paths['/bookings'].post.responses;
    expect(createBooking['401'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/GatewayError' });
    expect(createBooking['429'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/GatewayError' });
    expect(createBooking['429'].headers['Retry-After']).toMatchObject({ required: false });
    expect(createBooking['412']).toBeUndefined();
    expect(createBooking['201'].headers).toMatchObject({ ETag: { required: true }, Location: { required: true } });
    const contact = document.paths['/public/{slug}/contact'].post.responses;
    expect(contact['401']).toBeUndefined();
    expect(contact['429'].content['application/json'].schema.oneOf ?? contact['429'].content['application/json'].schema.anyOf).toEqual(
      expect.arrayContaining([{ $ref: '#/components/schemas/Error429' }, { $ref: '#/components/schemas/GatewayError' }]),
    );
    expect(document.components.schemas.VersionMismatchError.properties.details.required).toContain('currentVersion');
  });

  it('declares If-Match on every operation that can answer 412, required where 428 is', () => {
    for (const { key, operation } of operations) {
      const ifMatch = (operation.parameters ?? []).find((parameter: any) => parameter.name === 'If-Match');
      if (operation.responses['412']) expect(ifMatch, key).toMatchObject({ in: 'header', required: operation.responses['428'] !== undefined });
      else expect(ifMatch, key).toBeUndefined();
    }
  });

  it('declares Access-Control-Allow-Origin on every response (what owasp:api8:2023-define-cors-origin would check)', () => {
    for (const { key, operation } of operations) {
      for (const [status, response] of Object.entries<any>(operation.responses)) expect(response.headers?.['Access-Control-Allow-Origin'], `${key} ${status}`).toBeDefined();
    }
  });

  it('has an example for every request body', () => {
    expect([...routesWithRequestExamples()].sort()).toEqual(operations.filter(({ route }) => route.body).map(({ key }) => key).sort());
    for (const { key, operation } of operations) {
      for (const [type, content] of Object.entries(operation.requestBody?.content ?? {})) expect((content as { example?: unknown }).example, `${key} ${type}`).toBeDefined();
    }
  });

  it('marks the server-set fields readOnly', () => {
    for (const field of ['id', 'version', 'createdAt', 'updatedAt']) expect(document.components.schemas.Booking.properties[field].readOnly, field).toBe(true);
  });

  it('declares every tag it uses, with a description, and the servers', () => {
    const used = new Set(operations.map(({ operation }) => operation.tags[0]));
    expect(document.tags.map((tag: any) => tag.name).sort()).toEqual([...used].sort());
    for (const tag of document.tags) expect(tag.description, tag.name).not.toBe('');
    expect(document.servers.map((server: any) => server.url)).toEqual(['http://localhost:3000', 'https://{apiId}.execute-api.{region}.amazonaws.com']);
  });
});

describe('the error catalog', () => {
  it('gives each code the status the server answers it with', () => {
    for (const code of errorCodes.filter((code) => code !== 'internal_error')) {
      expect(errorResult(new DomainError(code, 'x', { retryAfterSeconds: 1 }))?.status, code).toBe(errorCatalog[code].status);
    }
  });
});
