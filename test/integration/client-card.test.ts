import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ulid } from 'ulid';
import { documentKind, documentStorageKey, type Document } from '#domain/documents.ts';
import { messageKind, type ConversationMessage } from '#domain/messages/conversation.ts';
import { startApi, type MessagingApi } from './local-stack.ts';
import { apiClient, putRecords, seedTenant, type Request } from './api-client.ts';

/**
 * The client card, its tabs, the order feed and lead conversion through the real local path: the
 * local API, DynamoDB Local, and the message path for the messages the feed and the card show.
 */
let api: MessagingApi;
let request: Request;
let tenant: string;
let locationId: string;
let hairField: string;

type Item = { id: string } & Record<string, any>;
const ids = (items: Item[]) => items.map((item) => item.id);

beforeAll(async () => {
  api = await startApi({ messaging: true });
  tenant = `card-${Date.now()}`;
  request = apiClient(api, tenant);
  const seeded = await seedTenant(request);
  locationId = seeded.locationId;
  hairField = seeded.ids['/client-fields']!;
});
afterAll(() => api?.close());


const inboundItem = (clientId: string, text: string, createdAt: string): ConversationMessage & { version: number } => ({
  id: `inbound.${ulid()}`,
  clientId,
  direction: 'inbound',
  channel: 'web',
  messageType: 'contact_form',
  audience: 'client',
  status: 'received',
  text,
  replyChannel: 'email',
  replyTo: 'someone@example.com',
  attempts: 0,
  version: 1,
  createdAt,
  updatedAt: createdAt,
});

const uploadedDocument = (clientId: string | undefined, fileName: string): Document => {
  const id = ulid();
  const at = new Date().toISOString();
  return {
    id,
    ...(clientId === undefined ? {} : { clientId }),
    fileName,
    contentType: 'application/pdf',
    size: 1234,
    status: clientId === undefined ? 'pending' : 'uploaded',
    storageKey: documentStorageKey(tenant, id),
    ...(clientId === undefined ? {} : { uploadedAt: at }),
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
};

async function newClient(firstName: string, fields: Record<string, unknown> = {}): Promise<string> {
  const created = await request('POST', '/clients', { firstName, email: `${firstName.toLowerCase()}-${ulid()}@example.com`.toLowerCase(), ...fields });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id;
}

const book = async (clientId: string, start: string, end: string): Promise<string> => {
  const created = await request('POST', '/bookings', { clientId, locationId, service: 'Corte', start, end });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id;
};

async function invoice(clientId: string, fields: Record<string, unknown>, ...actions: string[]): Promise<string> {
  const created = await request('POST', '/invoices', { number: `F-${ulid()}`, clientId, amountMinor: 1000, currency: 'EUR', issueDate: '2025-01-01', dueDate: '2025-02-01', ...fields });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  for (const action of actions) expect((await request('POST', `/invoices/${created.body.id}/${action}`)).status).toBe(200);
  return created.body.id;
}

/** Every page of a list, following nextCursor. */
async function allPages(path: string, limit: number): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | null = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const page = await request('GET', `${path}${separator}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    expect(page.body.items.length).toBeLessThanOrEqual(limit);
    items.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return items;
}

describe('the client card', () => {
  let clientId: string;
  let allergies: string;
  const made = { upcoming: [] as string[], past: [] as string[], cancelledAhead: '', invoices: {} as Record<string, string>, estimate: '' };

  beforeAll(async () => {
    allergies = (await request('POST', '/client-fields', { label: 'Allergies', type: 'text', forms: ['contact'] })).body.id;
    clientId = await newClient('Ana', { phone: '+34 600 000 001', consent: { email: true, sms: true }, customFields: { [hairField]: 'curly', [allergies]: 'latex' } });
    made.past.push(await book(clientId, '2025-01-10T10:00:00+01:00', '2025-01-10T11:00:00+01:00'));
    made.past.push(await book(clientId, '2025-03-10T10:00:00+01:00', '2025-03-10T11:00:00+01:00'));
    made.upcoming.push(await book(clientId, '2031-02-01T10:00:00+01:00', '2031-02-01T11:00:00+01:00'));
    made.upcoming.push(await book(clientId, '2030-06-01T10:00:00+02:00', '2030-06-01T11:00:00+02:00'));
    made.cancelledAhead = await book(clientId, '2030-07-01T10:00:00+02:00', '2030-07-01T11:00:00+02:00');
    expect((await request('POST', `/bookings/${made.cancelledAhead}/cancel`, { by: 'client' })).status).toBe(200);

    made.invoices.overdueEur = await invoice(clientId, { amountMinor: 4500, dueDate: '2025-02-01' }, 'issue');
    made.invoices.overdueUsd = await invoice(clientId, { amountMinor: 2000, currency: 'USD', dueDate: '2025-03-01' }, 'issue');
    made.invoices.due = await invoice(clientId, { amountMinor: 9900, dueDate: '2030-12-31' }, 'issue');
    made.invoices.paid = await invoice(clientId, { amountMinor: 700, dueDate: '2025-01-15' }, 'issue', 'pay');
    made.invoices.draft = await invoice(clientId, { amountMinor: 300, dueDate: '2029-01-01' });
    const estimate = await request('POST', '/estimates', { number: `P-${ulid()}`, clientId, amountMinor: 90000, currency: 'EUR', expiresOn: '2030-04-30' });
    made.estimate = estimate.body.id;
    expect((await request('POST', `/estimates/${made.estimate}/issue`)).status).toBe(200);

    await putRecords(api, tenant, documentKind, [uploadedDocument(clientId, 'passport.pdf'), uploadedDocument(undefined, 'abandoned.pdf')]);
    await api.settle();
    // Written once the messages above were sent, so it is among the latest five the card shows.
    await putRecords(api, tenant, messageKind, [inboundItem(clientId, 'Do you cut curly hair?', new Date().toISOString())]);
    await api.settle();
  });

  it('shows bookings, invoices, estimates, documents and the conversation consistently with the records', async () => {
    const response = await request('GET', `/clients/${clientId}/card`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const card = response.body;
    expect(response.headers.get('etag')).toBe('"1"');
    expect(card.profile).toMatchObject({ id: clientId, firstName: 'Ana', phone: '+34600000001' });
    expect(card.customFields).toEqual([
      { id: hairField, label: 'Hair type', type: 'select', value: 'curly' },
      { id: allergies, label: 'Allergies', type: 'text', value: 'latex' },
    ]);

    // Bookings: the same records the bookings list has, split at the card's instant.
    const bookings: Item[] = (await request('GET', `/bookings?clientId=${clientId}`)).body.items;
    const asOf = Date.parse(card.asOf);
    const upcoming = bookings.filter((booking) => Date.parse(booking.start) >= asOf && ['pending', 'confirmed'].includes(booking.status));
    const past = bookings.filter((booking) => Date.parse(booking.start) < asOf).reverse();
    expect(ids(card.bookings.upcoming.items)).toEqual(ids(upcoming));
    expect(ids(card.bookings.upcoming.items)).toEqual([made.upcoming[1], made.upcoming[0]]);
    expect(ids(card.bookings.past.items)).toEqual(ids(past));
    expect(ids(card.bookings.past.items)).toEqual([made.past[1], made.past[0]]);
    expect(ids(card.bookings.cancelled.items)).toEqual([made.cancelledAhead]);
    // Every booking of the client is in exactly one part.
    expect([...ids(card.bookings.upcoming.items), ...ids(card.bookings.past.items), ...ids(card.bookings.cancelled.items)].sort()).toEqual(ids(bookings).sort());
    expect(card.bookings.upcoming.nextCursor).toBeNull();
    // A range open at one end stays within the client's bookings, though invoices and messages share the index.
    const fromNow = await request('GET', `/bookings?clientId=${clientId}&from=${encodeURIComponent(card.asOf)}`);
    expect(ids(fromNow.body.items).sort()).toEqual([...made.upcoming, made.cancelledAhead].sort());

    // Invoices: the latest by due date, and what is owed, per currency.
    const invoices: Item[] = (await request('GET', `/invoices?clientId=${clientId}`)).body.items;
    expect(ids(card.invoices.items)).toEqual(ids(invoices).reverse().slice(0, 5));
    expect(card.invoices.items.find((item: Item) => item.id === made.invoices.paid).status).toBe('paid');
    expect(card.invoices.overdue).toEqual({ count: 2, totals: [{ currency: 'EUR', amountMinor: 4500 }, { currency: 'USD', amountMinor: 2000 }] });
    expect(card.invoices.due).toEqual({ count: 1, totals: [{ currency: 'EUR', amountMinor: 9900 }] });

    expect(ids(card.estimates.items)).toEqual([made.estimate]);
    expect(card.estimates.open).toEqual([expect.objectContaining({ id: made.estimate, status: 'issued', expiresOn: '2030-04-30' })]);

    // Only documents that belong to the client (an upload still pending belongs to nobody).
    expect(card.documents.items.map((document: Document) => document.fileName)).toEqual(['passport.pdf']);

    // The latest of the conversation, inbound and outbound, as its own list has it.
    const conversation = await request('GET', `/clients/${clientId}/messages?limit=5`);
    expect(card.conversation).toEqual(conversation.body);
    expect(card.conversation.items.map((item: ConversationMessage) => item.direction)).toEqual(expect.arrayContaining(['inbound', 'outbound']));
    expect(card.leads).toEqual({ items: [], nextCursor: null });
  });

  it('lists each part on its own tab, filtered by status', async () => {
    expect(ids((await request('GET', `/clients/${clientId}/bookings?when=past`)).body.items)).toEqual([made.past[1], made.past[0]]);
    expect(ids((await request('GET', `/clients/${clientId}/bookings`)).body.items)).toEqual([made.upcoming[1], made.upcoming[0]]);
    expect(ids((await request('GET', `/clients/${clientId}/bookings?when=cancelled`)).body.items)).toEqual([made.cancelledAhead]);
    expect(ids((await request('GET', `/clients/${clientId}/invoices?status=issued`)).body.items).sort()).toEqual(
      [made.invoices.overdueEur, made.invoices.overdueUsd, made.invoices.due].sort(),
    );
    expect(ids((await request('GET', `/clients/${clientId}/invoices?status=draft`)).body.items)).toEqual([made.invoices.draft]);
    expect(ids((await request('GET', `/clients/${clientId}/estimates?status=issued`)).body.items)).toEqual([made.estimate]);
  });

  it('reflects a profile PATCH, and client field changes: a relabel shows the new label, a deletion hides the value', async () => {
    const patched = await request('PATCH', `/clients/${clientId}`, { lastName: 'García', customFields: { [hairField]: 'straight' } }, { 'if-match': '"1"' });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect((await request('PATCH', `/client-fields/${hairField}`, { label: 'Hair' }, { 'if-match': '"1"' })).status).toBe(200);
    expect((await request('DELETE', `/client-fields/${allergies}`)).status).toBe(204);

    const card = await request('GET', `/clients/${clientId}/card`);
    expect(card.headers.get('etag')).toBe('"2"');
    expect(card.body.profile).toMatchObject({ lastName: 'García', version: 2 });
    expect(card.body.customFields).toEqual([{ id: hairField, label: 'Hair', type: 'select', value: 'straight' }]);
  });
});

describe('paging a tab', () => {
  it('goes through more bookings than a page holds, on from the card, with no repeats and none lost', async () => {
    const clientId = await newClient('Marta');
    const starts = Array.from({ length: 7 }, (_, day) => `2030-05-${String(day + 1).padStart(2, '0')}T09:00:00+02:00`);
    const made: string[] = [];
    for (const start of starts) made.push(await book(clientId, start, start.replace('T09', 'T10')));

    expect(ids(await allPages(`/clients/${clientId}/bookings?when=upcoming`, 3))).toEqual(made);

    const card = (await request('GET', `/clients/${clientId}/card`)).body;
    expect(ids(card.bookings.upcoming.items)).toEqual(made.slice(0, 5));
    const rest = await request('GET', `/clients/${clientId}/bookings?when=upcoming&cursor=${encodeURIComponent(card.bookings.upcoming.nextCursor)}`);
    expect(ids(rest.body.items)).toEqual(made.slice(5));
    expect(rest.body.nextCursor).toBeNull();
  });

  it('goes through more invoices than a page holds, latest due date first', async () => {
    const clientId = await newClient('Pablo');
    const made: string[] = [];
    for (let month = 1; month <= 6; month++) made.push(await invoice(clientId, { issueDate: '2029-01-01', dueDate: `2029-0${month}-15` }));
    expect(ids(await allPages(`/clients/${clientId}/invoices`, 4))).toEqual(made.reverse());
  });
});

describe('bad requests to the card and its tabs', () => {
  let clientId: string;
  let otherClient: string;
  beforeAll(async () => {
    clientId = await newClient('Rosa');
    otherClient = await newClient('Juan');
    for (const client of [clientId, otherClient]) {
      for (const day of ['01', '02']) await book(client, `2030-08-${day}T09:00:00+02:00`, `2030-08-${day}T10:00:00+02:00`);
      for (const day of ['01', '02']) await book(client, `2025-08-${day}T09:00:00+02:00`, `2025-08-${day}T10:00:00+02:00`);
    }
  });

  it('answers 404 for a client that does not exist, on every route', async () => {
    for (const path of ['card', 'bookings', 'bookings?when=past', 'bookings?cursor=garbage', 'invoices', 'estimates', 'leads']) {
      const response = await request('GET', `/clients/nobody/${path}`);
      expect(response.status, path).toBe(404);
      expect(response.body.error.code).toBe('not_found');
    }
  });

  it('refuses an unknown tab, status or page size with a 400 that names it', async () => {
    const when = await request('GET', `/clients/${clientId}/bookings?when=someday`);
    expect(when.status).toBe(400);
    expect(when.body.error.details.issues[0].path).toBe('query.when');
    expect((await request('GET', `/clients/${clientId}/invoices?status=overdue`)).status).toBe(400);
    expect((await request('GET', `/clients/${clientId}/leads?limit=0`)).status).toBe(400);
  });

  it('refuses a cursor of another tab, another client, another list or none at all with a 400', async () => {
    const cursorOf = async (path: string): Promise<string> => (await request('GET', `${path}&limit=1`)).body.nextCursor;
    const upcoming = await cursorOf(`/clients/${clientId}/bookings?when=upcoming`);
    const othersUpcoming = await cursorOf(`/clients/${otherClient}/bookings?when=upcoming`);
    const bookingsList = await cursorOf(`/bookings?clientId=${clientId}`);
    const cases: Array<[string, string]> = [
      [`/clients/${clientId}/bookings?when=past`, upcoming],
      [`/clients/${clientId}/bookings?when=cancelled`, upcoming],
      [`/clients/${clientId}/bookings?when=upcoming`, othersUpcoming],
      [`/clients/${clientId}/bookings?when=upcoming`, bookingsList],
      [`/clients/${clientId}/invoices?status=issued`, upcoming],
      [`/clients/${clientId}/leads?limit=10`, bookingsList],
      [`/clients/${clientId}/bookings?when=upcoming`, 'not-a-cursor'],
      [`/clients/${clientId}/estimates?limit=10`, Buffer.from('not json').toString('base64url')],
    ];
    for (const [path, cursor] of cases) {
      const response = await request('GET', `${path}&cursor=${encodeURIComponent(cursor)}`);
      expect(response.status, `${path} with ${cursor}`).toBe(400);
      expect(response.body.error.details.issues[0].path).toBe('cursor');
    }
  });
});

describe('the order feed', () => {
  it('lists creation, status and schedule changes and the messages sent, in order, page by page', async () => {
    const clientId = await newClient('Sara', { phone: '+34 600 000 002', consent: { email: true, sms: true } });
    const created = await request('POST', '/orders', { clientId, locationId, title: 'Repair screen', scheduledAt: '2030-03-30T09:00:00+02:00' });
    const orderId = created.body.id;
    await api.settle();
    // The tenant's rule sends an SMS when an order becomes Ready.
    expect((await request('PATCH', `/orders/${orderId}`, { status: 'Ready' }, { 'if-match': '"1"' })).status).toBe(200);
    await api.settle();
    expect((await request('PATCH', `/orders/${orderId}`, { scheduledAt: '2030-04-02T10:00:00+02:00' }, { 'if-match': '"2"' })).status).toBe(200);
    expect((await request('PATCH', `/orders/${orderId}`, { title: 'Repair screen and battery' }, { 'if-match': '"3"' })).status).toBe(200);
    await api.settle();

    const feed = await request('GET', `/orders/${orderId}/events`);
    expect(feed.status, JSON.stringify(feed.body)).toBe(200);
    expect(feed.body.nextCursor).toBeNull();
    expect(feed.body.items).toEqual([
      { type: 'created', at: created.body.createdAt, status: 'New', scheduledAt: '2030-03-30T09:00:00+02:00' },
      { type: 'status_changed', at: expect.any(String), from: 'New', to: 'Ready' },
      expect.objectContaining({ type: 'message', messageType: 'order_status_changed', channel: 'sms', audience: 'client', status: 'sent' }),
      { type: 'schedule_changed', at: expect.any(String), from: '2030-03-30T09:00:00+02:00', to: '2030-04-02T10:00:00+02:00' },
    ]);
    const times = feed.body.items.map((entry: { at: string }) => Date.parse(entry.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(await allPages(`/orders/${orderId}/events`, 1)).toEqual(feed.body.items);
  });

  it('answers 404 for an unknown order and 400 for a bad cursor', async () => {
    expect((await request('GET', '/orders/nothing/events')).status).toBe(404);
    const clientId = await newClient('Teo');
    const order = (await request('POST', '/orders', { clientId, locationId, title: 'Fix' })).body;
    const response = await request('GET', `/orders/${order.id}/events?cursor=garbage`);
    expect(response.status).toBe(400);
    expect(response.body.error.details.issues[0].path).toBe('cursor');
  });
});

describe('lead conversion', () => {
  it('keeps the lead and the history, and turns the client card active', async () => {
    const clientId = await newClient('Lola', { status: 'lead' });
    const earlier = inboundItem(clientId, 'Hello, how much is a haircut?', new Date().toISOString());
    await putRecords(api, tenant, messageKind, [earlier]);
    await putRecords(api, tenant, documentKind, [uploadedDocument(clientId, 'photo.pdf')]);
    const lead = (await request('POST', '/leads', { clientId, source: 'contact form' })).body;
    expect(lead.status).toBe('New');

    const refused = await request('POST', `/leads/${lead.id}/convert`, { status: 'Teleported' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.issues[0].message).toContain('New, Won, Lost');
    expect((await request('POST', `/leads/${lead.id}/convert`, {}, { 'if-match': '"7"' })).status).toBe(412);

    const converted = await request('POST', `/leads/${lead.id}/convert`, { status: 'Won' }, { 'if-match': '"1"' });
    expect(converted.status, JSON.stringify(converted.body)).toBe(200);
    expect(converted.body).toMatchObject({ id: lead.id, status: 'Won', version: 2, convertedAt: expect.any(String), source: 'contact form' });
    expect(converted.headers.get('etag')).toBe('"2"');

    const card = (await request('GET', `/clients/${clientId}/card`)).body;
    expect(card.profile).toMatchObject({ status: 'active', version: 2 });
    expect(card.leads.items).toEqual([converted.body]);
    expect(card.conversation.items).toContainEqual(expect.objectContaining({ id: earlier.id, direction: 'inbound', text: earlier.text }));
    expect(card.documents.items.map((document: Document) => document.fileName)).toEqual(['photo.pdf']);
    expect((await request('GET', `/clients/${clientId}/leads`)).body.items).toEqual([converted.body]);

    const again = await request('POST', `/leads/${lead.id}/convert`, {});
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('already converted');
  });

  it('keeps the lead’s status when none is given, and leaves an active client as it is', async () => {
    const clientId = await newClient('Nico');
    const lead = (await request('POST', '/leads', { clientId, source: 'phone', status: 'Lost' })).body;
    const converted = await request('POST', `/leads/${lead.id}/convert`, {});
    expect(converted.body).toMatchObject({ status: 'Lost', convertedAt: expect.any(String) });
    expect((await request('GET', `/clients/${clientId}`)).body).toMatchObject({ status: 'active', version: 1 });
  });

  it('takes lead statuses only from the settings’ list', async () => {
    const clientId = await newClient('Eva');
    const refused = await request('POST', '/leads', { clientId, source: 'web', status: 'Teleported' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.issues[0]).toEqual({ path: 'status', message: expect.stringContaining('New, Won, Lost') });
    const lead = (await request('POST', '/leads', { clientId, source: 'web' })).body;
    expect((await request('PATCH', `/leads/${lead.id}`, { status: 'Maybe' }, { 'if-match': '"1"' })).status).toBe(400);
    expect((await request('PATCH', `/leads/${lead.id}`, { status: 'Won' }, { 'if-match': '"1"' })).body.status).toBe('Won');
  });
});

describe('the card’s upcoming messages', () => {
  it('lists the client’s armed messages due soonest first, at most five, and leaves out those disarmed', async () => {
    // A location of its own (UTC, so the instants are plain), with two reminder rules only for it.
    const location = (await request('POST', '/locations', { name: 'Upcoming', timeZone: 'UTC' })).body.id;
    for (const [name, offset] of [['Day before', { amount: 1, unit: 'days' }], ['Two hours before', { amount: 2, unit: 'hours' }]] as const) {
      const rule = { name, trigger: { entity: 'booking', on: 'before_schedule', offset }, audience: 'client', channel: 'email', template: 'booking_reminder', locations: [location] };
      expect((await request('POST', '/rules', rule)).status).toBe(201);
    }
    await api.settle();
    const clientId = await newClient('Eva', { consent: { email: true, sms: false } });
    const bookingAt = async (start: string, end: string) => (await request('POST', '/bookings', { clientId, locationId: location, service: 'Corte', start, end })).body.id as string;
    const april = await bookingAt('2030-04-01T10:00:00Z', '2030-04-01T11:00:00Z');
    const june = await bookingAt('2030-06-01T10:00:00Z', '2030-06-01T11:00:00Z');
    const may = await bookingAt('2030-05-01T10:00:00Z', '2030-05-01T11:00:00Z');
    const march = await bookingAt('2030-03-01T10:00:00Z', '2030-03-01T11:00:00Z');
    expect((await request('POST', `/bookings/${march}/cancel`, { by: 'client' })).status).toBe(200);
    await api.settle();

    const card = (await request('GET', `/clients/${clientId}/card`)).body;
    // Six armed (two per booking still on), the cancelled booking's two disarmed; the soonest five.
    expect(card.upcoming.map((item: ConversationMessage) => [item.status, item.dueAt, item.entity?.id])).toEqual([
      ['scheduled', '2030-03-31T10:00:00.000Z', april],
      ['scheduled', '2030-04-01T08:00:00.000Z', april],
      ['scheduled', '2030-04-30T10:00:00.000Z', may],
      ['scheduled', '2030-05-01T08:00:00.000Z', may],
      ['scheduled', '2030-05-31T10:00:00.000Z', june],
    ]);
    const conversation = await allPages(`/clients/${clientId}/messages`, 100);
    expect(conversation.filter((item) => item.status === 'scheduled')).toHaveLength(6);
    expect(conversation.filter((item) => item.status === 'cancelled').map((item) => item.entity.id)).toEqual([march, march]);
  });
});
