import { beforeAll, describe, expect, it } from 'vitest';
import { notificationKind } from '#domain/notifications.ts';
import { apiAreas } from '#api/catalog.ts';
import { routeKey, type AnyRoute } from '#http/route.ts';
import { pathFor, putRecords, sample, useSeededTenant, validBodies } from './api-client.ts';

/**
 * The sweep the SPA team runs through a validating proxy, as a test: every operation asked without
 * a token, with a bad token, about an unknown record and with a stale If-Match. The client checks
 * each answer against the OpenAPI document (its status documented, its body and headers valid) and
 * fails the file on any violation; here each answer must also be the status the case calls for.
 * Bad bodies, media types and sizes are swept the same way by request-validation.test.ts.
 */

const tenant = useSeededTenant('sweep');
const { request } = tenant;
// Delivery makes notifications, not the API: one is put as delivery puts it.
let ids: Record<string, string> = {};
beforeAll(async () => {
  const notification = sample.notification(tenant.seeded.clientId, new Date().toISOString());
  await putRecords(tenant.api, tenant.tenantId, notificationKind, [notification]);
  ids = { ...tenant.seeded.ids, '/notifications': notification.id };
});

const routes: readonly AnyRoute[] = apiAreas.flatMap((area) => area.routes).filter((route) => route.path !== '/openapi.json');
const tenantRoutes = routes.filter((route) => route.auth === 'tenant').map((route) => [routeKey(route), route] as const);
const byId = tenantRoutes.filter(([, route]) => route.path.includes('{id}'));
/** Routes that write a record named in the path under If-Match: lifecycle actions, PATCH, DELETE. */
const versioned = byId.filter(([, route]) => route.method !== 'GET' && route.responses[412] !== undefined);
const pathOf = (route: AnyRoute) => pathFor(route.path, ids);
/** A body the route takes, so that what is answered is about the case, not the body. */
const bodyOf = (route: AnyRoute) => (route.body ? validBodies(tenant.seeded)[routeKey(route)] : undefined);

describe('every tenant operation', () => {
  it.each(tenantRoutes)('%s without a token: 401', async (_key, route) => {
    expect((await request(route.method, pathOf(route), bodyOf(route), { authorization: '' })).status).toBe(401);
  });

  it.each(tenantRoutes)('%s with a token it cannot verify: 401', async (_key, route) => {
    expect((await request(route.method, pathOf(route), bodyOf(route), { authorization: 'Bearer not.a.token' })).status).toBe(401);
  });
});

describe('every operation on a record named in the path', () => {
  it.each(byId)('%s about an unknown record: 404', async (_key, route) => {
    const response = await request(route.method, pathFor(route.path.replace('{id}', 'no-such-record'), ids), bodyOf(route), { 'if-match': '"1"' });
    expect(response.status, JSON.stringify(response.body)).toBe(404);
  });

  it('covers the versioned writes', () => {
    expect(versioned.length).toBeGreaterThan(10);
  });

  it.each(versioned)('%s with a stale If-Match: 412 naming the current version', async (_key, route) => {
    const response = await request(route.method, pathOf(route), bodyOf(route), { 'if-match': '"999"' });
    expect(response.status, JSON.stringify(response.body)).toBe(412);
    expect(response.body.error.details.currentVersion).toEqual(expect.any(Number));
  });
});
