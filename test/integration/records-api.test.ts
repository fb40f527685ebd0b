import { describe, expect, it } from 'vitest';
import { sample, useSeededTenant } from './api-client.ts';

const tenant = useSeededTenant('flows');
const { request } = tenant;

describe('settings', () => {
  it('saves once from version 0, then needs the current version', async () => {
    const current = await request('GET', '/settings');
    expect(current.body).toMatchObject({ ...sample.settings, version: 1 });
    expect(current.headers.get('etag')).toBe('"1"');
    expect((await request('PUT', '/settings', sample.settings, { 'if-match': '"0"' })).status).toBe(412);
    expect((await request('PUT', '/settings', sample.settings)).status).toBe(428);
    const saved = await request('PUT', '/settings', { ...sample.settings, businessName: 'Salón Lucía 2' }, { 'if-match': '"1"' });
    expect(saved.body).toMatchObject({ businessName: 'Salón Lucía 2', version: 2 });
  });
});

describe('clients', () => {
  it('stores the phone in E.164 using the business country and the email in lower case', async () => {
    const client = await request('GET', `/clients/${tenant.seeded.clientId}`);
    expect(client.body).toMatchObject({ phone: '+34612345678', email: 'ana@example.com', consent: { email: true, sms: true } });
  });

  it('keeps custom field values of defined fields and clears them with null', async () => {
    const fieldId = tenant.seeded.ids['/client-fields']!;
    const created = await request('POST', '/clients', { firstName: 'Luis', customFields: { [fieldId]: 'curly' } });
    expect(created.status).toBe(201);
    expect((await request('POST', '/clients', { firstName: 'Luis', customFields: { [fieldId]: 'bald' } })).status).toBe(400);
    expect((await request('POST', '/clients', { firstName: 'Luis', customFields: { nofield: 'x' } })).body.error.details.issues[0].path).toBe('customFields.nofield');
    const cleared = await request('PATCH', `/clients/${created.body.id}`, { customFields: { [fieldId]: null }, email: null }, { 'if-match': '"1"' });
    expect(cleared.body.customFields).toEqual({});
    expect(cleared.body).not.toHaveProperty('email');
    expect((await request('GET', `/clients/${created.body.id}`)).body).not.toHaveProperty('email');
  });

  it('refuses to delete a client that has records, and deletes one that has none', async () => {
    const refused = await request('DELETE', `/clients/${tenant.seeded.clientId}`);
    expect(refused.status).toBe(409);
    const lonely = await request('POST', '/clients', { firstName: 'Solo', phone: '+33 6 12 34 56 78' });
    expect(lonely.body.phone).toBe('+33612345678');
    expect((await request('DELETE', `/clients/${lonely.body.id}`)).status).toBe(204);
    expect((await request('GET', `/clients/${lonely.body.id}`)).status).toBe(404);
  });
});

describe('bookings', () => {
  it('lists by date range, client and status, across pages without repeats', async () => {
    const other = await request('POST', '/clients', { firstName: 'Marta', email: 'marta@example.com' });
    const made: string[] = [];
    for (let day = 1; day <= 5; day++) {
      const start = `2026-05-0${day}T09:00:00+02:00`;
      const response = await request('POST', '/bookings', sample.booking(other.body.id, tenant.seeded.locationId, start, `2026-05-0${day}T10:00:00+02:00`));
      made.push(response.body.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/bookings?clientId=${other.body.id}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await request('GET', query);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((booking: { id: string }) => booking.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(made);

    // [from, to) in any offset: May 2nd 09:00+02:00 is 07:00Z, included; May 4th 07:00Z excluded.
    const range = await request('GET', `/bookings?from=${encodeURIComponent('2026-05-02T07:00:00Z')}&to=${encodeURIComponent('2026-05-04T09:00:00+02:00')}`);
    expect(range.body.items.map((booking: { id: string }) => booking.id)).toEqual(made.slice(1, 3));

    await request('POST', `/bookings/${made[0]}/cancel`, { by: 'client' });
    const cancelled = await request('GET', `/bookings?clientId=${other.body.id}&status=cancelled`);
    expect(cancelled.body.items.map((booking: { id: string }) => booking.id)).toEqual([made[0]]);
  });

  it('lets exactly one of two concurrent edits of the same version win', async () => {
    const id = tenant.seeded.ids['/bookings']!;
    const current = await request('GET', `/bookings/${id}`);
    const version = current.headers.get('etag')!;
    const results = await Promise.all(
      ['Tinte', 'Mechas'].map((service) => request('PATCH', `/bookings/${id}`, { service }, { 'if-match': version })),
    );
    expect(results.map((result) => result.status).sort()).toEqual([200, 412]);
    const after = await request('GET', `/bookings/${id}`);
    expect(after.body.version).toBe(current.body.version + 1);
  });

  it('follows its lifecycle and refuses moves it does not allow', async () => {
    const booking = await request('POST', '/bookings', sample.booking(tenant.seeded.clientId, tenant.seeded.locationId, '2026-06-01T10:00:00Z', '2026-06-01T11:00:00Z'));
    expect(booking.body.status).toBe('confirmed');
    const refused = await request('POST', `/bookings/${booking.body.id}/confirm`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.details.allowed).toEqual(['cancelled', 'completed', 'no_show']);
    expect((await request('POST', `/bookings/${booking.body.id}/no-show`)).body.status).toBe('no_show');
    expect((await request('PATCH', `/bookings/${booking.body.id}`, { service: 'x' }, { 'if-match': '"2"' })).status).toBe(409);
  });

  it('refuses a booking at a location that does not exist', async () => {
    const response = await request('POST', '/bookings', sample.booking(tenant.seeded.clientId, 'NOPE'));
    expect(response.status).toBe(400);
    expect(response.body.error.details.issues).toEqual([{ path: 'locationId', message: 'location NOPE does not exist' }]);
  });
});

describe('invoices and estimates', () => {
  it('keeps numbers unique per tenant, frees them on renumber and on deleting a draft', async () => {
    const first = await request('POST', '/invoices', sample.invoice(tenant.seeded.clientId, 'A-1'));
    expect(first.status).toBe(201);
    const clash = await request('POST', '/invoices', sample.invoice(tenant.seeded.clientId, 'A-1'));
    expect(clash.status).toBe(409);
    expect(clash.body.error).toEqual({ code: 'duplicate', message: 'invoice number A-1 is already taken', details: { field: 'number', value: 'A-1' } });

    expect((await request('PATCH', `/invoices/${first.body.id}`, { number: 'A-2' }, { 'if-match': '"1"' })).status).toBe(200);
    expect((await request('POST', '/invoices', sample.invoice(tenant.seeded.clientId, 'A-1'))).status).toBe(201);
    expect((await request('POST', '/invoices', sample.invoice(tenant.seeded.clientId, 'A-2'))).status).toBe(409);
    expect((await request('DELETE', `/invoices/${first.body.id}`)).status).toBe(204);
    expect((await request('POST', '/invoices', sample.invoice(tenant.seeded.clientId, 'A-2'))).status).toBe(201);
    // Estimates number separately from invoices.
    expect((await request('POST', '/estimates', sample.estimate(tenant.seeded.clientId, 'A-1'))).status).toBe(201);
  });

  it('issues, then pays; a paid invoice is final and no longer editable or deletable', async () => {
    const id = tenant.seeded.ids['/invoices']!;
    expect((await request('POST', `/invoices/${id}/pay`)).status).toBe(409);
    expect((await request('POST', `/invoices/${id}/issue`)).body.status).toBe('issued');
    expect((await request('PATCH', `/invoices/${id}`, { amountMinor: 1 }, { 'if-match': '"2"' })).status).toBe(409);
    expect((await request('POST', `/invoices/${id}/pay`, undefined, { 'if-match': '"1"' })).status).toBe(412);
    expect((await request('POST', `/invoices/${id}/pay`, undefined, { 'if-match': '"2"' })).body).toMatchObject({ status: 'paid', version: 3 });
    expect((await request('DELETE', `/invoices/${id}`)).status).toBe(409);
    const issued = await request('GET', `/invoices?status=paid&clientId=${tenant.seeded.clientId}`);
    expect(issued.body.items.map((invoice: { id: string }) => invoice.id)).toEqual([id]);
  });

  it('accepts an issued estimate', async () => {
    const id = tenant.seeded.ids['/estimates']!;
    await request('POST', `/estimates/${id}/issue`);
    expect((await request('POST', `/estimates/${id}/accept`)).body.status).toBe('accepted');
    expect((await request('POST', `/estimates/${id}/decline`)).status).toBe(409);
  });
});

describe('orders and leads', () => {
  it('use the tenant’s status lists', async () => {
    const order = await request('GET', `/orders/${tenant.seeded.ids['/orders']}`);
    expect(order.body.status).toBe('New');
    expect((await request('PATCH', `/orders/${order.body.id}`, { status: 'Ready' }, { 'if-match': '"1"' })).body.status).toBe('Ready');
    const refused = await request('PATCH', `/orders/${order.body.id}`, { status: 'Teleported' }, { 'if-match': '"2"' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.issues[0].message).toContain('New, In progress, Ready');
    const unscheduled = await request('PATCH', `/orders/${order.body.id}`, { scheduledAt: null }, { 'if-match': '"2"' });
    expect(unscheduled.body).not.toHaveProperty('scheduledAt');
    expect((await request('POST', '/leads', { ...sample.lead(tenant.seeded.clientId), status: 'Won' })).body.status).toBe('Won');
  });
});
