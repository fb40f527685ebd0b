import { notificationKind } from '#domain/notifications.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAreas } from '#api/catalog.ts';
import { routeKey, type AnyRoute } from '#http/route.ts';
import { startApi, type LocalApi } from './local-stack.ts';
import { apiClient, pathFor, putRecords, recordRouteBodies, sample, seedTenant, validBodies, type Request } from './api-client.ts';

let api: LocalApi;
let owner: Request;
let intruder: Request;
let seeded: Awaited<ReturnType<typeof seedTenant>>;
const ownerTenant = `owner-${Date.now()}`;

beforeAll(async () => {
  api = await startApi();
  owner = apiClient(api, ownerTenant);
  intruder = apiClient(api, `intruder-${Date.now()}`);
  seeded = await seedTenant(owner);
  // Delivery makes notifications, so the owner gets one the way delivery would.
  const notification = sample.notification(seeded.clientId, new Date().toISOString());
  await putRecords(api, ownerTenant, notificationKind, [notification]);
  seeded.ids['/notifications'] = notification.id;
});
afterAll(() => api?.close());

const tenantRoutes = apiAreas.flatMap((area) => area.routes).filter((route) => route.auth === 'tenant');
const keyed = (routes: AnyRoute[]) => routes.map((route) => [routeKey(route), route] as const);
const ownerIds = () => new Set(Object.values(seeded.ids));

/** Routes on one of the tenant's records by id. */
const recordRoutes = tenantRoutes.filter((route) => route.path.includes('{id}'));
/** Lists of a tenant's records. */
const listRoutes = tenantRoutes.filter((route) => route.method === 'GET' && !route.path.includes('{') && !route.path.startsWith('/settings') && route.path !== '/templates' && route.path !== '/usage');
/** Creates that may name other records (a client, a location); an import names an upload, a case of its own. */
const createRoutes = tenantRoutes.filter((route) => route.method === 'POST' && /^\/[a-z-]+$/.test(route.path) && route.path !== '/imports');

/** The owner's own sending domain, registered once by whichever case needs it first. */
const ownerDomain = `owner-${Date.now()}.example`;
let ownerRegistered: Promise<void> | undefined;
const ownerHasDomain = () =>
  (ownerRegistered ??= (async () => {
    const etag = (await owner('GET', '/settings/sender')).headers.get('etag')!;
    expect((await owner('PUT', '/settings/sender/domain', { domain: ownerDomain, localPart: 'citas' }, { 'if-match': etag })).status).toBe(200);
  })());

/** A CSV file the owner uploaded, through its signed URL as a browser would. */
let ownerUploaded: Promise<string> | undefined;
const ownerUpload = () =>
  (ownerUploaded ??= (async () => {
    const bytes = new TextEncoder().encode('Nombre,Email\nAna,ana@example.com\n');
    const answer = await owner('POST', '/imports/uploads', { size: bytes.length });
    expect(answer.status).toBe(200);
    const headers = Object.entries(answer.body.upload.headers as Record<string, string>).filter(([name]) => name !== 'content-length');
    expect((await fetch(answer.body.upload.url, { method: 'PUT', headers: Object.fromEntries(headers), body: bytes })).status).toBe(200);
    return answer.body.uploadId as string;
  })());

/** Routes whose isolation needs a case of its own: per-tenant documents and bulk or preview operations. */
const specialCases: Record<string, () => Promise<void>> = {
  'GET /settings/sender': async () => {
    await ownerHasDomain();
    expect(JSON.stringify((await intruder('GET', '/settings/sender')).body)).not.toContain(ownerDomain);
  },
  'PUT /settings/sender/domain': async () => {
    await ownerHasDomain();
    const etag = (await intruder('GET', '/settings/sender')).headers.get('etag')!;
    // The owner's domain is taken; one of the intruder's own leaves the owner's sender as it was.
    expect((await intruder('PUT', '/settings/sender/domain', { domain: ownerDomain, localPart: 'x' }, { 'if-match': etag })).status).toBe(409);
    expect((await owner('GET', '/settings/sender')).body.domain).toMatchObject({ name: ownerDomain, localPart: 'citas' });
  },
  'DELETE /settings/sender/domain': async () => {
    await ownerHasDomain();
    const etag = (await intruder('GET', '/settings/sender')).headers.get('etag')!;
    expect((await intruder('DELETE', '/settings/sender/domain', undefined, { 'if-match': etag })).status).toBe(404);
    expect((await owner('GET', '/settings/sender')).body.domain).toMatchObject({ name: ownerDomain });
  },
  'GET /settings': async () => expect((await intruder('GET', '/settings')).body).toMatchObject({ version: 0, businessName: '' }),
  'PUT /settings': async () => {
    expect((await intruder('PUT', '/settings', { ...sample.settings, businessName: 'Intruder' }, { 'if-match': '"0"' })).status).toBe(200);
    expect((await owner('GET', '/settings')).body.businessName).toBe(sample.settings.businessName);
  },
  'GET /settings/automated-messages': async () => expect((await intruder('GET', '/settings/automated-messages')).body).toMatchObject({ version: 0, bookingConfirmation: { sms: false } }),
  'PUT /settings/automated-messages': async () => {
    const theirs = { ...sample.automatedMessages, bookingConfirmation: { sms: false } };
    expect((await intruder('PUT', '/settings/automated-messages', theirs, { 'if-match': '"0"' })).status).toBe(200);
    expect((await owner('GET', '/settings/automated-messages')).body.bookingConfirmation.sms).toBe(true);
  },
  'GET /templates': async () => {
    const list = (await intruder('GET', '/templates')).body;
    expect(JSON.stringify(list)).not.toContain('Confirmado, {{ client.firstName }}');
  },
  'GET /templates/{messageType}/{channel}': async () => expect((await intruder('GET', '/templates/booking_confirmed/sms')).headers.get('etag')).toBe('"0"'),
  'PUT /templates/{messageType}/{channel}': async () => {
    expect((await intruder('PUT', '/templates/booking_confirmed/sms', { languages: { en: { text: 'Mine {{ client.firstName }}' } } }, { 'if-match': '"0"' })).status).toBe(200);
    expect(JSON.stringify((await owner('GET', '/templates/booking_confirmed/sms')).body)).not.toContain('Mine');
  },
  'DELETE /templates/{messageType}/{channel}': async () => {
    await intruder('DELETE', '/templates/booking_confirmed/sms');
    expect((await owner('GET', '/templates/booking_confirmed/sms')).headers.get('etag')).toBe('"1"');
  },
  'POST /templates/preview': async () => {
    const preview = await intruder('POST', '/templates/preview', { messageType: 'booking_confirmed', channel: 'sms', language: 'es' });
    expect(preview.status).toBe(200);
    expect(preview.body.text).not.toContain('Confirmado,');
  },
  'POST /imports/uploads': async () => {
    const uploadId = await ownerUpload();
    expect((await intruder('GET', `/imports/uploads/${uploadId}/preview`)).status).toBe(404);
    expect((await owner('GET', `/imports/uploads/${uploadId}/preview`)).status).toBe(200);
  },
  'POST /imports': async () => {
    const uploadId = await ownerUpload();
    const started = await intruder('POST', '/imports', { uploadId, guess: true, onMatch: 'update', emailConsent: false });
    expect(started.status, JSON.stringify(started.body)).toBe(404);
    expect((await owner('GET', `/imports/${uploadId}`)).status).toBe(404);
    expect((await intruder('GET', `/imports/${uploadId}`)).status).toBe(404);
  },
  'GET /usage': async () => expect((await intruder('GET', '/usage')).body.smsSegments.used).toBe(0),
  // A business's token, whoever's, cannot read or set any business's plan.
  'GET /operator/tenants/{tenantId}/plan': async () => expect((await intruder('GET', `/operator/tenants/${ownerTenant}/plan`)).status).toBe(403),
  'PUT /operator/tenants/{tenantId}/plan': async () => {
    expect((await intruder('PUT', `/operator/tenants/${ownerTenant}/plan`, { plan: 'free' }, { 'if-match': '"0"' })).status).toBe(403);
    expect((await owner('PUT', `/operator/tenants/${ownerTenant}/plan`, { plan: 'free' }, { 'if-match': '"0"' })).status).toBe(403);
  },
  'POST /rules/bulk': async () => {
    const result = await intruder('POST', '/rules/bulk', { action: 'delete', ids: [seeded.ids['/rules']] });
    expect(result.body.results).toEqual([expect.objectContaining({ id: seeded.ids['/rules'], status: 404 })]);
    expect((await owner('GET', `/rules/${seeded.ids['/rules']}`)).status).toBe(200);
  },
};

describe('another tenant’s records do not exist for you, on every route', () => {
  it.each(keyed(recordRoutes))('%s answers 404', async (key, route) => {
    const response = await intruder(route.method, pathFor(route.path, seeded.ids), route.body ? recordRouteBodies[key] : undefined, { 'if-match': '"1"' });
    expect(response.status, JSON.stringify(response.body)).toBe(404);
    expect(response.body.error.code).toBe('not_found');
  });

  it.each(keyed(listRoutes))('%s lists none of them', async (_key, route) => {
    const response = await intruder('GET', route.path);
    expect(response.status).toBe(200);
    expect(response.body.items.filter((item: { id: string }) => ownerIds().has(item.id))).toEqual([]);
  });

  it.each(keyed(createRoutes))('%s cannot point at them, nor be seen by them', async (key, route) => {
    const body = validBodies(seeded)[key] as Record<string, unknown>;
    const response = await intruder('POST', route.path, body);
    if ('clientId' in body || 'locations' in body) {
      expect(response.status, JSON.stringify(response.body)).toBe(400);
      expect(response.body.error.details.issues[0].path).toMatch(/^(clientId|locations\.0)$/);
    } else {
      expect(response.status).toBe(201);
      expect((await owner('GET', `${route.path}/${response.body.id}`)).status).toBe(404);
    }
  });

  it.each(Object.entries(specialCases))('%s is each tenant’s own', async (_key, check) => check());

  it('covers every tenant route', () => {
    const covered = new Set([...recordRoutes, ...listRoutes, ...createRoutes].map(routeKey).concat(Object.keys(specialCases)));
    expect(tenantRoutes.map(routeKey).filter((key) => !covered.has(key))).toEqual([]);
  });
});

describe('without a valid token', () => {
  it.each(keyed(tenantRoutes))('%s answers 401', async (_key, route) => {
    const response = await fetch(`${api.baseUrl}${pathFor(route.path, {})}`, { method: route.method, headers: { authorization: 'Bearer forged' } });
    expect(response.status).toBe(401);
  });
});
