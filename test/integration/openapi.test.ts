import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import SwaggerParser from '@apidevtools/swagger-parser';
import { apiAreas } from '#api/catalog.ts';
import { startApi, type LocalApi } from './local-stack.ts';

let api: LocalApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api?.close());

describe('GET /openapi.json', () => {
  it('serves, without a token, a valid OpenAPI 3.1 document of every route', async () => {
    const response = await fetch(`${api.baseUrl}/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as any;
    expect(document.openapi).toBe('3.1.0');
    await expect(SwaggerParser.validate(structuredClone(document))).resolves.toBeTruthy();

    const documented = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const served = apiAreas.flatMap((area) => area.routes).filter((route) => route.path !== '/openapi.json');
    expect(documented.sort()).toEqual(served.map((route) => `${route.method} ${route.path}`).sort());
  });

  it('describes request bodies with the validation schemas', async () => {
    const document = (await (await fetch(`${api.baseUrl}/openapi.json`)).json()) as any;
    const body = document.paths['/bookings'].post.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(expect.arrayContaining(['clientId', 'locationId', 'service', 'start', 'end']));
    expect(body.additionalProperties).toBe(false);
    expect(document.paths['/bookings/{id}'].patch.parameters.map((parameter: { name: string }) => parameter.name)).toContain('If-Match');
  });

  it('declares the optional Idempotency-Key, its 409 and its 422 on every creating operation, and on no other', async () => {
    const document = (await (await fetch(`${api.baseUrl}/openapi.json`)).json()) as any;
    const operations = Object.entries(document.paths as Record<string, Record<string, any>>).flatMap(([path, byMethod]) =>
      Object.entries(byMethod).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, operation })),
    );
    const idempotent = operations.filter(({ operation }) => (operation.parameters ?? []).some((parameter: { name: string }) => parameter.name === 'Idempotency-Key'));
    expect(idempotent.map(({ route }) => route).sort()).toEqual(
      [
        'POST /locations',
        'POST /clients',
        'POST /client-fields',
        'POST /bookings',
        'POST /bookings/{id}/invoice',
        'POST /invoices',
        'POST /estimates',
        'POST /orders',
        'POST /leads',
        'POST /rules',
        'POST /clients/{id}/messages',
        'POST /clients/{id}/payment-reminders',
        'POST /clients/{id}/booking-invitations',
      ].sort(),
    );
    for (const { route, operation } of idempotent) {
      const header = operation.parameters.find((parameter: { name: string }) => parameter.name === 'Idempotency-Key');
      expect(header, route).toMatchObject({ in: 'header', required: false, schema: { type: 'string', pattern: expect.any(String) } });
      expect(operation.responses['422'], route).toMatchObject({ description: expect.stringContaining('Idempotency-Key'), content: { 'application/json': { schema: expect.anything() } } });
      expect(operation.responses['409'].description, route).toContain('Idempotency-Key is still being processed');
    }
  });
});
