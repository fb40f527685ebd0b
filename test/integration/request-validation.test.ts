import { describe, expect, it } from 'vitest';
import { apiAreas } from '#api/catalog.ts';
import { routeKey } from '#http/route.ts';
import { apiClient, operatorToken, pathFor, useSeededTenant, validBodies, type Request } from './api-client.ts';
import type { AnyRoute } from '#http/route.ts';

const tenant = useSeededTenant('validation');
const { request } = tenant;
// The operator's routes are asked with an operator's token: a business's is refused (403) before its body is read.
let operator: Request | undefined;
const requestFor = (route: AnyRoute): Request => (route.operator ? (operator ??= apiClient(tenant.api, 'validation-operator', operatorToken)) : tenant.request);

const bodyRoutes = apiAreas
  .flatMap((area) => area.routes)
  // JSON bodies; the one form body (the unsubscribe POST) is refused the same way in unsubscribe.test.ts.
  .filter((route) => route.body && route.bodyType !== 'form')
  .map((route) => [routeKey(route), route] as const);

const pathOf = (path: string) => pathFor(path, tenant.seeded.ids);
const headers = { 'if-match': '"1"' };

describe('every route that takes a body refuses bad ones with a clear 4xx and stores nothing', () => {
  it.each(bodyRoutes)('%s: malformed JSON', async (_key, route) => {
    const response = await requestFor(route)(route.method, pathOf(route.path), '{"a": tru', headers);
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'malformed_json', message: expect.stringContaining('not valid JSON') });
  });

  it.each(bodyRoutes)('%s: wrong types', async (_key, route) => {
    const response = await requestFor(route)(route.method, pathOf(route.path), { name: 1, firstName: 2, label: 3, service: 4, number: 5, title: 6, source: 7, by: 8, businessName: 9 }, headers);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('validation_failed');
    expect(response.body.error.details.issues.length).toBeGreaterThan(0);
    for (const issue of response.body.error.details.issues) expect(issue).toEqual({ path: expect.any(String), message: expect.any(String) });
  });

  it.each(bodyRoutes)('%s: an unknown field next to valid ones', async (key, route) => {
    const valid = validBodies(tenant.seeded)[key];
    expect(valid, `a valid body for ${key}`).toBeDefined();
    const response = await requestFor(route)(route.method, pathOf(route.path), { ...(valid as object), sneaky: true }, headers);
    expect(response.status).toBe(400);
    expect(response.body.error.details.issues).toContainEqual({ path: 'sneaky', message: 'is not a known field' });
  });

  it.each(bodyRoutes)('%s: an oversized body', async (_key, route) => {
    const response = await requestFor(route)(route.method, pathOf(route.path), { notes: 'x'.repeat(100_000) }, headers);
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('payload_too_large');
  });

  it.each(bodyRoutes)('%s: not JSON at all', async (_key, route) => {
    const response = await requestFor(route)(route.method, pathOf(route.path), 'name=x', { ...headers, 'content-type': 'text/plain' });
    expect(response.status).toBe(415);
  });

  it('stored nothing from any of them', async () => {
    const bookings = await request('GET', '/bookings');
    expect(bookings.body.items.map((booking: { id: string; version: number }) => [booking.id, booking.version])).toEqual([[tenant.seeded.ids['/bookings'], 1]]);
    expect((await request('GET', '/locations')).body.items).toHaveLength(1);
  });
});

// The instants' pairs sort in order as text and out of order as instants: only comparing instants catches them.
const invertedRanges = [
  ['/bookings', '2026-12-01T06:00:00-05:00', '2026-12-01T10:00:00+01:00'],
  ['/orders', '2026-12-01T10:00:00-01:00', '2026-12-01T12:00:00+03:00'],
  ['/invoices', '2026-05-01', '2026-04-30'],
  ['/estimates', '2027-01-01', '2026-12-31'],
] as const;

describe('a list range that ends before it starts', () => {
  it.each(invertedRanges)('%s answers 400 naming to', async (path, from, to) => {
    const response = await request('GET', `${path}?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
    expect(response.status).toBe(400);
    expect(response.body.error.details.issues).toEqual([{ path: 'query.to', message: 'must not be before from' }]);
    // The same strings the right way round are a range like any other.
    expect((await request('GET', `${path}?from=${encodeURIComponent(to)}&to=${encodeURIComponent(from)}`)).status).toBe(200);
  });

  it('a range out of order as text but in order as instants is fine', async () => {
    const response = await request('GET', `/bookings?from=${encodeURIComponent('2026-12-01T10:00:00+05:00')}&to=${encodeURIComponent('2026-12-01T07:00:00+01:00')}`);
    expect(response.status).toBe(200);
  });

  it('by client too', async () => {
    const [, from, to] = invertedRanges[0];
    const response = await request('GET', `/bookings?clientId=${tenant.seeded.clientId}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
    expect(response.status).toBe(400);
  });
});

describe('unknown routes', () => {
  it('answers 404 for an unknown path and 405 for a wrong method, as JSON', async () => {
    expect((await request('GET', '/nope')).status).toBe(404);
    expect((await request('PUT', '/bookings')).status).toBe(405);
  });
});
