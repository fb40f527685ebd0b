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
