import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAreas } from '#handlers/catalog.ts';
import { routeKey } from '#http/route.ts';
import { startApi, type LocalApi } from './local-stack.ts';
import { apiClient, recordRouteBodies, sample, seedTenant, type Request } from './api-client.ts';

let api: LocalApi;
let owner: Request;
let intruder: Request;
let seeded: Awaited<ReturnType<typeof seedTenant>>;

beforeAll(async () => {
  api = await startApi();
  owner = apiClient(api, `owner-${Date.now()}`);
  intruder = apiClient(api, `intruder-${Date.now()}`);
  seeded = await seedTenant(owner);
});
afterAll(() => api?.close());

const tenantRoutes = apiAreas.flatMap((area) => area.routes).filter((route) => route.auth === 'tenant');
const collectionOf = (path: string) => `/${path.split('/')[1]}`;
const ownerIds = () => new Set(Object.values(seeded.ids));

describe('another tenant’s records do not exist for you, on every route', () => {
  it.each(tenantRoutes.filter((route) => route.path.includes('{id}')).map((route) => [routeKey(route), route] as const))('%s answers 404', async (key, route) => {
    const path = route.path.replace('{id}', seeded.ids[collectionOf(route.path)]!);
    const response = await intruder(route.method, path, route.body ? recordRouteBodies[key] : undefined, { 'if-match': '"1"' });
    expect(response.status, JSON.stringify(response.body)).toBe(404);
    expect(response.body.error.code).toBe('not_found');
  });

  it.each(tenantRoutes.filter((route) => route.method === 'GET' && !route.path.includes('{id}') && route.path !== '/settings').map((route) => [routeKey(route), route] as const))(
    '%s lists none of them',
    async (_key, route) => {
      const response = await intruder('GET', route.path);
      expect(response.status).toBe(200);
      expect(response.body.items.filter((item: { id: string }) => ownerIds().has(item.id))).toEqual([]);
    },
  );

  it.each(tenantRoutes.filter((route) => route.method === 'POST' && !route.path.includes('{id}')).map((route) => [routeKey(route), route] as const))(
    '%s cannot point at them, nor be seen by them',
    async (_key, route) => {
      const body: Record<string, unknown> = {
        '/locations': sample.location,
        '/clients': { ...sample.client, phone: '+34 612 345 678' },
        '/client-fields': sample.clientField,
        '/bookings': sample.booking(seeded.clientId, seeded.locationId),
        '/invoices': sample.invoice(seeded.clientId),
        '/estimates': sample.estimate(seeded.clientId),
        '/orders': sample.order(seeded.clientId, seeded.locationId),
        '/leads': sample.lead(seeded.clientId),
      };
      if (!(route.path in body)) throw new Error(`no isolation case for ${routeKey(route)}`);
      const response = await intruder('POST', route.path, body[route.path]);
      if ('clientId' in (body[route.path] as object)) {
        expect(response.status).toBe(400);
        expect(response.body.error.details.issues[0].path).toBe('clientId');
      } else {
        expect(response.status).toBe(201);
        expect((await owner('GET', `${route.path}/${response.body.id}`)).status).toBe(404);
      }
    },
  );

  it('GET and PUT /settings are each tenant’s own', async () => {
    const theirs = await intruder('GET', '/settings');
    expect(theirs.body).toMatchObject({ version: 0, businessName: '' });
    expect((await intruder('PUT', '/settings', { ...sample.settings, businessName: 'Intruder' }, { 'if-match': '"0"' })).status).toBe(200);
    expect((await owner('GET', '/settings')).body.businessName).toBe(sample.settings.businessName);
  });

  it('covers every tenant route', () => {
    const covered = tenantRoutes.filter(
      (route) => route.path.includes('{id}') || route.path === '/settings' || route.method === 'GET' || route.method === 'POST',
    );
    expect(covered).toHaveLength(tenantRoutes.length);
  });
});

describe('without a valid token', () => {
  it.each(tenantRoutes.map((route) => [routeKey(route), route] as const))('%s answers 401', async (_key, route) => {
    const response = await fetch(`${api.baseUrl}${route.path.replace('{id}', 'x')}`, { method: route.method, headers: { authorization: 'Bearer forged' } });
    expect(response.status).toBe(401);
  });
});
