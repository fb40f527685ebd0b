import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import SwaggerParser from '@apidevtools/swagger-parser';
import { apiAreas } from '#handlers/catalog.ts';
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
});
