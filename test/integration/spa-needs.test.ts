import { describe, expect, it } from 'vitest';
import { sample, useSeededTenant } from './api-client.ts';

// What the SPA needs from the API (issue 12 part 4), through the local stack.
const tenant = useSeededTenant('spa-needs');
const { request } = tenant;

describe('allowedActions', () => {
  it('lists the actions a booking’s status allows, on create, get, list, patch and lifecycle answers', async () => {
    const { clientId, locationId } = tenant.seeded;
    const created = await request('POST', '/bookings', sample.booking(clientId, locationId, '2026-07-01T09:00:00+02:00', '2026-07-01T10:00:00+02:00'));
    expect(created.status).toBe(201);
    expect(created.body.allowedActions).toEqual(['cancel', 'complete', 'no-show', 'update']);
    const id = created.body.id;
    expect((await request('GET', `/bookings/${id}`)).body.allowedActions).toEqual(['cancel', 'complete', 'no-show', 'update']);
    const listed = await request('GET', `/bookings?clientId=${clientId}`);
    expect(listed.body.items.every((item: { allowedActions?: unknown }) => Array.isArray(item.allowedActions))).toBe(true);
    const patched = await request('PATCH', `/bookings/${id}`, { notes: 'window seat' }, { 'if-match': '"1"' });
    expect(patched.body.allowedActions).toEqual(['cancel', 'complete', 'no-show', 'update']);
    const cancelled = await request('POST', `/bookings/${id}/cancel`, { by: 'client' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.allowedActions).toEqual([]);
  });

  it('offers update and delete on a draft invoice only, and is never stored', async () => {
    const created = await request('POST', '/invoices', { ...sample.invoice(tenant.seeded.clientId), number: 'AA-1' });
    expect(created.body.allowedActions).toEqual(['issue', 'update', 'delete']);
    const issued = await request('POST', `/invoices/${created.body.id}/issue`);
    expect(issued.body.allowedActions).toEqual(['pay', 'void']);
    // Sent back, it is an unknown field like any other read-only one: a 400, and nothing changes.
    const refused = await request('PATCH', `/invoices/${created.body.id}`, { allowedActions: ['update'] }, { 'if-match': '"2"' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.issues[0].path).toBe('allowedActions');
    expect((await request('GET', `/invoices/${created.body.id}`)).body).toMatchObject({ version: 2, allowedActions: ['pay', 'void'] });
  });

  it('shows them on the client card and its tabs too', async () => {
    const client = (await request('POST', '/clients', { firstName: 'Tarjeta' })).body.id;
    const booking = await request('POST', '/bookings', sample.booking(client, tenant.seeded.locationId, '2030-01-10T09:00:00+01:00', '2030-01-10T10:00:00+01:00'));
    const invoice = await request('POST', '/invoices', sample.invoice(client));
    await request('POST', `/invoices/${invoice.body.id}/issue`);
    const estimate = await request('POST', '/estimates', sample.estimate(client));
    await request('POST', `/estimates/${estimate.body.id}/issue`);
    const card = (await request('GET', `/clients/${client}/card`)).body;
    expect(card.bookings.upcoming.items[0]).toMatchObject({ id: booking.body.id, allowedActions: ['cancel', 'complete', 'no-show', 'update'] });
    expect(card.invoices.items[0].allowedActions).toEqual(['pay', 'void']);
    expect(card.estimates.open[0].allowedActions).toEqual(['accept', 'decline']);
    expect((await request('GET', `/clients/${client}/bookings`)).body.items[0].allowedActions).toEqual(['cancel', 'complete', 'no-show', 'update']);
    expect((await request('GET', `/clients/${client}/invoices`)).body.items[0].allowedActions).toEqual(['pay', 'void']);
    expect((await request('GET', `/clients/${client}/estimates`)).body.items[0].allowedActions).toEqual(['accept', 'decline']);
  });

  it('offers an estimate’s actions from its status', async () => {
    const created = await request('POST', '/estimates', { ...sample.estimate(tenant.seeded.clientId), number: 'EA-1' });
    expect(created.body.allowedActions).toEqual(['issue', 'update', 'delete']);
    const issued = await request('POST', `/estimates/${created.body.id}/issue`);
    expect(issued.body.allowedActions).toEqual(['accept', 'decline']);
  });
});

describe('a 409 duplicate names the body field', () => {
  it('says email or phone when a client is changed to another client’s address, and stores nothing', async () => {
    const taken = await request('POST', '/clients', { firstName: 'Eva', email: 'eva.dup@example.com', phone: '+34 600 111 222' });
    const other = await request('POST', '/clients', { firstName: 'Otro' });
    const email = await request('PATCH', `/clients/${other.body.id}`, { email: 'EVA.dup@example.com' }, { 'if-match': '"1"' });
    expect(email.status).toBe(409);
    expect(email.body.error.details).toEqual({ field: 'email', value: 'eva.dup@example.com' });
    const phone = await request('PATCH', `/clients/${other.body.id}`, { phone: '+34600111222' }, { 'if-match': '"1"' });
    expect(phone.body.error.details).toEqual({ field: 'phone', value: '+34600111222' });
    expect((await request('GET', `/clients/${other.body.id}`)).body).toMatchObject({ version: 1 });
    expect(taken.status).toBe(201);
  });

  it('says number for an estimate number already used', async () => {
    await request('POST', '/estimates', { ...sample.estimate(tenant.seeded.clientId), number: 'EDUP-1' });
    const clash = await request('POST', '/estimates', { ...sample.estimate(tenant.seeded.clientId), number: 'EDUP-1' });
    expect(clash.body.error).toEqual({ code: 'duplicate', message: 'estimate number EDUP-1 is already taken', details: { field: 'number', value: 'EDUP-1' } });
  });
});

describe('referential integrity on delete', () => {
  it('refuses to delete a location its bookings and orders use, counting them, until none does', async () => {
    const { clientId } = tenant.seeded;
    const place = (await request('POST', '/locations', { ...sample.location, name: 'Norte' })).body.id;
    const spare = (await request('POST', '/locations', { ...sample.location, name: 'Sur' })).body.id;
    const booking = await request('POST', '/bookings', sample.booking(clientId, place, '2026-08-01T09:00:00+02:00', '2026-08-01T10:00:00+02:00'));
    await request('POST', '/bookings', sample.booking(clientId, place, '2026-08-02T09:00:00+02:00', '2026-08-02T10:00:00+02:00'));
    const order = await request('POST', '/orders', sample.order(clientId, place));
    expect(order.status).toBe(201);

    const refused = await request('DELETE', `/locations/${place}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'in_use', details: { kind: 'location', id: place, references: { booking: 2, order: 1 } } });
    expect(refused.body.error.message).toContain('2 bookings and 1 order');
    expect((await request('GET', `/locations/${place}`)).status).toBe(200);

    // Saving a booking with its own location counts nothing more; moving it counts it at the other one.
    expect((await request('PATCH', `/bookings/${booking.body.id}`, { locationId: place, notes: 'same place' }, { 'if-match': '"1"' })).status).toBe(200);
    expect((await request('PATCH', `/bookings/${booking.body.id}`, { locationId: spare }, { 'if-match': '"2"' })).status).toBe(200);
    expect((await request('DELETE', `/locations/${spare}`)).body.error.details.references).toEqual({ booking: 1 });
    expect((await request('DELETE', `/orders/${order.body.id}`)).status).toBe(204);
    expect((await request('DELETE', `/locations/${place}`)).body.error.details.references).toEqual({ booking: 1 });

    const lonely = (await request('POST', '/locations', { ...sample.location, name: 'Vacío' })).body.id;
    expect((await request('DELETE', `/locations/${lonely}`)).status).toBe(204);
    expect((await request('GET', `/locations/${lonely}`)).status).toBe(404);
  });

  it('answers in_use for a client with records', async () => {
    const refused = await request('DELETE', `/clients/${tenant.seeded.clientId}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'in_use', details: { kind: 'client', id: tenant.seeded.clientId } });
  });

  it('gives an archived client no new booking, invoice, estimate or order (409 archived), and stores nothing', async () => {
    const { locationId } = tenant.seeded;
    const client = await request('POST', '/clients', { firstName: 'Archi', status: 'archived' });
    const id = client.body.id;
    const attempts = [
      await request('POST', '/bookings', sample.booking(id, locationId, '2026-09-01T09:00:00+02:00', '2026-09-01T10:00:00+02:00')),
      await request('POST', '/invoices', sample.invoice(id)),
      await request('POST', '/estimates', sample.estimate(id)),
      await request('POST', '/orders', sample.order(id, locationId)),
    ];
    for (const attempt of attempts) {
      expect(attempt.status).toBe(409);
      expect(attempt.body.error).toMatchObject({ code: 'archived', details: { kind: 'client', id, field: 'clientId' } });
    }
    expect((await request('GET', `/bookings?clientId=${id}`)).body.items).toEqual([]);
    expect((await request('GET', `/invoices?clientId=${id}`)).body.items).toEqual([]);
    // An unknown client is still a 400 naming the field.
    const unknown = await request('POST', '/invoices', sample.invoice('01JQ6ZA1B2C3D4E5F6G7H8J9ZZ'));
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.issues[0].path).toBe('clientId');
    // Made active again, it can.
    expect((await request('PATCH', `/clients/${id}`, { status: 'active' }, { 'if-match': '"1"' })).status).toBe(200);
    expect((await request('POST', '/invoices', sample.invoice(id))).status).toBe(201);
  });
});

describe('GET /templates', () => {
  it('pages like every list, in the same order as one long page, without repeats', async () => {
    const all = await request('GET', '/templates?limit=100');
    expect(all.status).toBe(200);
    expect(all.body.nextCursor).toBeNull();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { messageType: string; channel: string }[]; nextCursor: string | null } } = await request(
        'GET',
        `/templates?limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(page.body.items.length).toBeLessThanOrEqual(7);
      seen.push(...page.body.items.map((item) => `${item.messageType}.${item.channel}`));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.body.items.map((item: { messageType: string; channel: string }) => `${item.messageType}.${item.channel}`));
    expect((await request('GET', '/templates')).body.items).toHaveLength(Math.min(50, seen.length));
    const bad = await request('GET', '/templates?cursor=bm9wZQ');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues[0].path).toBe('cursor');
    expect((await request('GET', '/templates?limit=0')).status).toBe(400);
  });
});

describe('booking list filters', () => {
  it('filters by location and by several statuses at once, with the other filters and across pages', async () => {
    const client = (await request('POST', '/clients', { firstName: 'Filtra' })).body.id;
    const here = (await request('POST', '/locations', { ...sample.location, name: 'Aquí' })).body.id;
    const there = (await request('POST', '/locations', { ...sample.location, name: 'Allí' })).body.id;
    const make = async (locationId: string, day: number) =>
      (await request('POST', '/bookings', sample.booking(client, locationId, `2026-10-0${day}T09:00:00+02:00`, `2026-10-0${day}T10:00:00+02:00`))).body.id as string;
    const [a, b, c, d] = [await make(here, 1), await make(here, 2), await make(there, 3), await make(here, 4)];
    await request('POST', `/bookings/${b}/cancel`, { by: 'business' });
    await request('POST', `/bookings/${d}/complete`);

    const ids = async (query: string) => {
      const found: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { status: number; body: { items: { id: string }[]; nextCursor: string | null } } = await request(
          'GET',
          `/bookings?${query}&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        expect(page.status).toBe(200);
        found.push(...page.body.items.map((item) => item.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      return found;
    };
    expect(await ids(`locationId=${here}`)).toEqual([a, b, d]);
    expect(await ids(`locationId=${there}&clientId=${client}`)).toEqual([c]);
    expect(await ids(`clientId=${client}&status=confirmed,completed`)).toEqual([a, c, d]);
    expect(await ids(`locationId=${here}&status=cancelled,completed&from=2026-10-01T00:00:00Z&to=2026-10-31T00:00:00Z`)).toEqual([b, d]);
    expect(await ids(`clientId=${client}&status=cancelled`)).toEqual([b]);

    const bad = await request('GET', '/bookings?status=confirmed,gone');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues[0]).toMatchObject({ path: 'query.status', message: expect.stringContaining('separated by commas') });
    expect((await request('GET', '/bookings?locationId=no%20such')).status).toBe(400);
  });
});

describe('client search', () => {
  it('finds clients by a prefix of their name, email or phone, ignoring case and accents, each once, across pages', async () => {
    const suffix = Date.now().toString(36);
    const jose = await request('POST', '/clients', { firstName: 'José', lastName: 'Zubizarreta', email: `zubi.${suffix}@example.com`, phone: '+34 655 001 002' });
    const zoe = await request('POST', '/clients', { firstName: 'Zubin', lastName: 'Ortega', email: `zoe.${suffix}@example.com` });
    await request('POST', '/clients', { firstName: 'Zuba', lastName: 'Zubeldia', email: `zuba.${suffix}@example.com` });
    expect([jose.status, zoe.status]).toEqual([201, 201]);

    const ids = async (q: string, limit = 1) => {
      const found: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { status: number; body: { items: { id: string }[]; nextCursor: string | null } } = await request(
          'GET',
          `/clients?q=${encodeURIComponent(q)}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        expect(page.status).toBe(200);
        found.push(...page.body.items.map((item) => item.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      return found;
    };
    // Zuba matches by first name, last name, full name and email: once.
    const zub = await ids('ZUB');
    expect(zub).toHaveLength(3);
    expect(new Set(zub).size).toBe(3);
    expect(await ids('jose')).toEqual([jose.body.id]);
    expect(await ids('José Zubi')).toEqual([jose.body.id]);
    expect(await ids(`zoe.${suffix}@`)).toEqual([zoe.body.id]);
    expect(await ids('+34 655 00')).toEqual([jose.body.id]);
    expect(await ids('655001')).toEqual([jose.body.id]);
    expect(await ids('nobody-by-this-name')).toEqual([]);

    // A change moves the client's terms in the same transaction: the old ones find nothing.
    expect((await request('PATCH', `/clients/${jose.body.id}`, { firstName: 'Pepe', phone: null }, { 'if-match': '"1"' })).status).toBe(200);
    expect(await ids('jose')).toEqual([]);
    expect(await ids('655001')).toEqual([]);
    expect(await ids('pepe')).toEqual([jose.body.id]);
    // Deleted, it is gone from the search.
    expect((await request('DELETE', `/clients/${zoe.body.id}`)).status).toBe(204);
    expect(await ids(`zoe.${suffix}`)).toEqual([]);
  });

  it('refuses an empty search or one combined with other filters, with a 400 naming the field', async () => {
    expect((await request('GET', '/clients?q=')).body.error.details.issues[0].path).toBe('query.q');
    expect((await request('GET', '/clients?q=%23%23')).body.error.details.issues[0].path).toBe('query.q');
    expect((await request('GET', '/clients?q=ana&status=active')).body.error.details.issues[0].path).toBe('query.status');
    expect((await request('GET', '/clients?q=ana&cursor=bm9wZQ')).status).toBe(400);
  });
});

describe('display names in list items', () => {
  it('embeds the client’s and location’s names in booking, invoice and order list items, and only there', async () => {
    const client = await request('POST', '/clients', { firstName: 'Nombre', lastName: 'Visible' });
    const bare = await request('POST', '/clients', { firstName: 'Solo' });
    const place = await request('POST', '/locations', { ...sample.location, name: 'Sala Azul' });
    const booking = await request('POST', '/bookings', sample.booking(client.body.id, place.body.id, '2026-11-01T09:00:00+02:00', '2026-11-01T10:00:00+02:00'));
    await request('POST', '/bookings', sample.booking(bare.body.id, place.body.id, '2026-11-02T09:00:00+02:00', '2026-11-02T10:00:00+02:00'));
    await request('POST', '/invoices', sample.invoice(client.body.id));
    await request('POST', '/orders', sample.order(client.body.id, place.body.id));

    const bookings = (await request('GET', `/bookings?locationId=${place.body.id}`)).body.items;
    expect(bookings.map((item: { client: unknown; location: unknown }) => [item.client, item.location])).toEqual([
      [{ firstName: 'Nombre', lastName: 'Visible' }, { name: 'Sala Azul' }],
      [{ firstName: 'Solo' }, { name: 'Sala Azul' }],
    ]);
    expect((await request('GET', `/invoices?clientId=${client.body.id}`)).body.items[0]).toMatchObject({ client: { firstName: 'Nombre', lastName: 'Visible' } });
    expect((await request('GET', `/invoices?clientId=${client.body.id}`)).body.items[0]).not.toHaveProperty('location');
    expect((await request('GET', `/orders?clientId=${client.body.id}`)).body.items[0]).toMatchObject({ client: { firstName: 'Nombre' }, location: { name: 'Sala Azul' } });

    // The names are read, not stored: a renamed client shows its new name; the record itself has none.
    await request('PATCH', `/clients/${client.body.id}`, { firstName: 'Renombrado' }, { 'if-match': '"1"' });
    expect((await request('GET', `/bookings?clientId=${client.body.id}`)).body.items[0].client).toEqual({ firstName: 'Renombrado', lastName: 'Visible' });
    const single = await request('GET', `/bookings/${booking.body.id}`);
    expect(single.body).not.toHaveProperty('client');
    expect(single.body).not.toHaveProperty('location');
    const sent = await request('PATCH', `/bookings/${booking.body.id}`, { client: { firstName: 'X' } }, { 'if-match': '"1"' });
    expect(sent.status).toBe(400);
  });
});
