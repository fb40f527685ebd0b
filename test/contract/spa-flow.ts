/**
 * What a separately hosted SPA does with a client generated from the OpenAPI document
 * (openapi-typescript types, openapi-fetch): typed requests, typed answers, typed error details,
 * and no casts. It compiles under the project's strict tsc, and test/integration/spa-flow.test.ts
 * runs it against the local API.
 */
import createClient from 'openapi-fetch';
import type { components, paths } from './api.d.ts';

type Booking = components['schemas']['Booking'];

export interface SpaFlowResult {
  readonly booking: Booking;
  readonly readEtag: string | null;
  readonly patched: Booking;
  readonly staleRefused: { readonly status: number; readonly currentVersion: number } | undefined;
  readonly invalidRefused: { readonly status: number; readonly issues: readonly { path: string; message: string }[] } | undefined;
  readonly cancelled: Booking;
  readonly pages: readonly (readonly string[])[];
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} failed`);
  return value;
}

export async function spaFlow(baseUrl: string, token: string, fetchImpl: typeof fetch = fetch): Promise<SpaFlowResult> {
  const api = createClient<paths>({ baseUrl, headers: { authorization: `Bearer ${token}` }, fetch: fetchImpl });

  const location = required(
    (await api.POST('/locations', { body: { name: 'Centro', timeZone: 'Europe/Madrid', businessHours: { mon: [{ open: '09:00', close: '14:00' }] } } })).data,
    'create location',
  );
  const client = required(
    (await api.POST('/clients', { body: { firstName: 'Ana', lastName: 'García', email: `ana.${Date.now()}@example.com`, consent: { email: true, sms: false } } })).data,
    'create client',
  );
  const slot = { clientId: client.id, locationId: location.id, service: 'Corte' };
  const booking = required((await api.POST('/bookings', { body: { ...slot, start: '2031-03-29T10:00:00+02:00', end: '2031-03-29T10:45:00+02:00' } })).data, 'create booking');
  required((await api.POST('/bookings', { body: { ...slot, start: '2031-03-30T10:00:00+02:00', end: '2031-03-30T10:45:00+02:00' } })).data, 'create booking');

  // Read it with its ETag, change it with If-Match.
  const read = await api.GET('/bookings/{id}', { params: { path: { id: booking.id } } });
  const readEtag = read.response.headers.get('etag');
  const ifMatch = readEtag ?? `"${booking.version}"`;
  const patched = required((await api.PATCH('/bookings/{id}', { params: { path: { id: booking.id }, header: { 'If-Match': ifMatch } }, body: { service: 'Tinte' } })).data, 'patch');

  // The same If-Match again is stale now: a 412 whose details say the current version.
  const stale = await api.PATCH('/bookings/{id}', { params: { path: { id: booking.id }, header: { 'If-Match': ifMatch } }, body: { service: 'Mechas' } });
  let staleRefused: SpaFlowResult['staleRefused'];
  if (stale.error && 'error' in stale.error && stale.error.error.code === 'version_mismatch') {
    staleRefused = { status: stale.response.status, currentVersion: stale.error.error.details.currentVersion };
  }

  // An appointment that ends before it starts: a 400 naming the field.
  const invalid = await api.POST('/bookings', { body: { ...slot, start: '2031-03-29T11:00:00+02:00', end: '2031-03-29T10:00:00+02:00' } });
  let invalidRefused: SpaFlowResult['invalidRefused'];
  if (invalid.error && 'error' in invalid.error && invalid.error.error.code === 'validation_failed') {
    invalidRefused = { status: invalid.response.status, issues: invalid.error.error.details?.issues ?? [] };
  }

  const cancelled = required(
    (await api.POST('/bookings/{id}/cancel', { params: { path: { id: booking.id } }, body: { by: 'client', reason: 'Viaje' } })).data,
    'cancel',
  );

  // The client's bookings one per page, following nextCursor to the end.
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = required((await api.GET('/bookings', { params: { query: { clientId: client.id, limit: 1, ...(cursor === undefined ? {} : { cursor }) } } })).data, 'list');
    pages.push(page.items.map((item) => item.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined && pages.length < 10);

  return { booking, readEtag, patched, staleRefused, invalidRefused, cancelled, pages };
}
