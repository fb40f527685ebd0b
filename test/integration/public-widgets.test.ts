import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { useClock } from '#adapters/clock.ts';
import { localDynamoDbClient, startApi, type LocalApi } from './local-stack.ts';
import { apiClient, sample, type ApiResponse, type Request } from './api-client.ts';
import { postPublic, publishWidgets, tenantItemCounter } from './public-forms.ts';

let api: LocalApi;
let business: Request;
let counter: ReturnType<typeof tenantItemCounter>;
const run = Date.now().toString(36);
const tenant = `widgets-${run}`;
const slug = `salon-widgets-${run}`;
let hairField: string;
let allergiesField: string;
let locationId: string;

beforeAll(async () => {
  api = await startApi();
  counter = tenantItemCounter(api);
  business = apiClient(api, tenant);
  await publishWidgets(business, slug, { bookingApproval: 'manual' });
  hairField = (await business('POST', '/client-fields', { label: 'Hair type', type: 'select', options: ['curly', 'straight'], forms: ['contact'] })).body.id;
  allergiesField = (await business('POST', '/client-fields', { label: 'Allergies', type: 'text', forms: ['booking'] })).body.id;
  locationId = (await business('POST', '/locations', sample.location)).body.id;
  // Every request here comes from 127.0.0.1, one sender: the tests below send this business more than its limit allows.
  vi.stubEnv('PUBLIC_SENDER_RATE_LIMIT', '100000');
});
afterAll(async () => {
  vi.unstubAllEnvs();
  counter?.close();
  await api?.close();
});

type Client = { id: string; firstName: string; email?: string; phone?: string; status: string; consent: object; customFields: object };
type Item = { id: string; direction: string; messageType: string; text?: string };

async function clientsWith(contact: { email?: string; phone?: string }): Promise<Client[]> {
  const all = await business('GET', '/clients?limit=100');
  return all.body.items.filter((client: Client) => (contact.email ? client.email === contact.email : client.phone === contact.phone));
}
const conversation = async (clientId: string): Promise<Item[]> => (await business('GET', `/clients/${clientId}/messages`)).body.items;

describe('the contact form', () => {
  it('makes someone new a lead card with the collected custom fields, a lead record and the inbound item', async () => {
    const response = await postPublic(api, slug, '/contact', {
      firstName: 'Lucía',
      lastName: 'Pérez',
      email: 'Lucia@Example.com',
      message: '¿Hacéis mechas?',
      customFields: { [hairField]: 'curly' },
    });
    expect(response.status).toBe(202);
    // Only that it arrived: nothing about the card it went to.
    expect(Object.keys(response.body).sort()).toEqual(['received', 'reference']);

    const [client, ...others] = await clientsWith({ email: 'lucia@example.com' });
    expect(others).toEqual([]);
    expect(client).toMatchObject({
      firstName: 'Lucía',
      lastName: 'Pérez',
      status: 'lead',
      consent: { email: true, sms: false },
      customFields: { [hairField]: 'curly' },
    });
    const leads = await business('GET', `/leads?clientId=${client!.id}`);
    expect(leads.body.items).toEqual([expect.objectContaining({ clientId: client!.id, source: 'widget:contact_form', status: sample.settings.leadStatuses[0] })]);
    expect(await conversation(client!.id)).toEqual([
      expect.objectContaining({
        id: response.body.reference,
        direction: 'inbound',
        channel: 'web',
        messageType: 'contact_form',
        status: 'received',
        text: '¿Hacéis mechas?',
        replyChannel: 'email',
        replyTo: 'lucia@example.com',
        fields: { [hairField]: 'curly' },
      }),
    ]);
  });

  it('matches a second form from the same email, in any case, to the same card', async () => {
    const first = await postPublic(api, slug, '/contact', { firstName: 'Marta', email: 'marta@example.com', message: 'Hola' });
    const second = await postPublic(api, slug, '/contact', { firstName: 'Martita', email: 'MARTA@example.COM', message: 'Otra vez' });
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(Object.keys(second.body).sort()).toEqual(['received', 'reference']);

    const [client, ...others] = await clientsWith({ email: 'marta@example.com' });
    expect(others).toEqual([]);
    // An anonymous form does not rename a card.
    expect(client!.firstName).toBe('Marta');
    expect((await conversation(client!.id)).map((item) => [item.id, item.text])).toEqual([
      [second.body.reference, 'Otra vez'],
      [first.body.reference, 'Hola'],
    ]);
    expect((await business('GET', `/leads?clientId=${client!.id}`)).body.items).toHaveLength(1);
  });

  it('makes one card of forms sent at the same time by someone new', async () => {
    const messages = Array.from({ length: 8 }, (_, i) => `Mensaje ${i}`);
    const forms = messages.map((message) => postPublic(api, slug, '/contact', { firstName: 'Sara', email: 'sara@example.com', message }));
    // All but one lose the race to create the card; each matches the winner's card instead.
    expect((await Promise.all(forms)).map((response) => response.status)).toEqual(messages.map(() => 202));
    const [client, ...others] = await clientsWith({ email: 'sara@example.com' });
    expect(others).toEqual([]);
    expect((await conversation(client!.id)).map((item) => item.text).sort()).toEqual(messages);
    expect((await business('GET', `/leads?clientId=${client!.id}`)).body.items).toHaveLength(1);
  });

  it('matches by phone written in another notation, keeping the card’s values and filling only missing ones', async () => {
    const card = await business('POST', '/clients', { firstName: 'Pilar', phone: '+34 611 222 333', customFields: { [hairField]: 'straight' } });
    expect(card.status).toBe(201);
    const response = await postPublic(api, slug, '/contact', { firstName: 'P.', phone: '611-222-333', message: 'Soy Pilar', customFields: { [hairField]: 'curly' } });
    expect(response.status).toBe(202);

    expect((await clientsWith({ phone: '+34611222333' })).map((client) => client.id)).toEqual([card.body.id]);
    const after = await business('GET', `/clients/${card.body.id}`);
    expect(after.body).toMatchObject({ firstName: 'Pilar', status: 'active', customFields: { [hairField]: 'straight' } });
    expect(await conversation(card.body.id)).toEqual([expect.objectContaining({ messageType: 'contact_form', replyChannel: 'sms', replyTo: '+34611222333' })]);
  });

  it('refuses a custom field the form does not collect, and stores nothing', async () => {
    const before = await counter.count(tenant);
    const response = await postPublic(api, slug, '/contact', {
      firstName: 'Nadie',
      email: 'nadie@example.com',
      message: 'Hola',
      customFields: { [allergiesField]: 'nuts' },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.details.issues).toEqual([{ path: `customFields.${allergiesField}`, message: 'is not a field of the contact form' }]);
    expect(await counter.count(tenant)).toBe(before);
    expect(await clientsWith({ email: 'nadie@example.com' })).toEqual([]);
  });

  it('answers 404 for a slug no business has', async () => {
    const response = await postPublic(api, `nobody-${run}`, '/contact', { firstName: 'Ana', email: 'ana@example.com', message: 'Hola' });
    expect(response.status).toBe(404);
    expect(response.body.error).toEqual({ code: 'not_found', message: `No business has the public address "nobody-${run}"` });
  });
});

describe('the message widget', () => {
  it('adds a client message to the conversation of the matched card', async () => {
    const card = await business('POST', '/clients', { firstName: 'Rosa', email: 'rosa@example.com' });
    const response = await postPublic(api, slug, '/messages', { firstName: 'Rosa', email: 'rosa@example.com', text: '¿Puedo cambiar la cita?' });
    expect(response.status).toBe(202);
    expect(await conversation(card.body.id)).toEqual([expect.objectContaining({ id: response.body.reference, messageType: 'client_message', text: '¿Puedo cambiar la cita?' })]);
  });
});

describe('a booking request', () => {
  const request = (email: string) => ({
    firstName: 'Eva',
    email,
    locationId,
    service: 'Corte',
    start: '2030-05-06T10:00:00+02:00',
    end: '2030-05-06T10:45:00+02:00',
    notes: 'Primera vez',
    customFields: { [allergiesField]: 'none' },
  });

  it('waits for the business when it approves bookings by hand', async () => {
    const response = await postPublic(api, slug, '/booking-requests', request('eva@example.com'));
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ bookingId: expect.any(String), status: 'pending', start: '2030-05-06T10:00:00+02:00', reference: expect.any(String), screenText: expect.any(String) });

    const [client] = await clientsWith({ email: 'eva@example.com' });
    expect(client!.customFields).toEqual({ [allergiesField]: 'none' });
    const booking = await business('GET', `/bookings/${response.body.bookingId}`);
    expect(booking.body).toMatchObject({ clientId: client!.id, locationId, service: 'Corte', status: 'pending', notes: 'Primera vez' });
    expect(await conversation(client!.id)).toEqual([
      expect.objectContaining({ id: response.body.reference, messageType: 'booking_request', entity: { kind: 'booking', id: response.body.bookingId } }),
    ]);
    expect((await business('GET', `/leads?clientId=${client!.id}`)).body.items[0].source).toBe('widget:booking_request');
  });

  it('is confirmed at once when the business approves bookings automatically', async () => {
    await publishWidgets(business, slug, { bookingApproval: 'automatic' });
    const response = await postPublic(api, slug, '/booking-requests', request('eva@example.com'));
    expect(response.body.status).toBe('confirmed');
    expect((await business('GET', `/bookings/${response.body.bookingId}`)).body.status).toBe('confirmed');
    expect(await clientsWith({ email: 'eva@example.com' })).toHaveLength(1);
    // A requested booking counts at its location like one the business makes: the location is not deleted under it.
    const refused = await business('DELETE', `/locations/${locationId}`);
    expect(refused.body.error).toMatchObject({ code: 'in_use', details: { kind: 'location', id: locationId } });
    expect(refused.body.error.details.references.booking).toBeGreaterThanOrEqual(2);
  });

  it('refuses a location the business does not have, or a start in the past, and stores nothing', async () => {
    const before = await counter.count(tenant);
    const nowhere = await postPublic(api, slug, '/booking-requests', { ...request('nowhere@example.com'), locationId: 'NOPE' });
    expect(nowhere.status).toBe(400);
    expect(nowhere.body.error.details.issues).toEqual([{ path: 'locationId', message: 'location NOPE does not exist' }]);
    const past = await postPublic(api, slug, '/booking-requests', { ...request('past@example.com'), start: '2020-01-01T10:00:00Z', end: '2020-01-01T11:00:00Z' });
    expect(past.status).toBe(400);
    expect(past.body.error.details.issues).toEqual([{ path: 'start', message: 'must be in the future' }]);
    expect(await counter.count(tenant)).toBe(before);
  });
});

describe('client emails and phones are unique in the business', () => {
  it('refuses a second card with the same email or phone, and frees them when changed or deleted', async () => {
    const first = await business('POST', '/clients', { firstName: 'Ana', email: 'ana.unique@example.com', phone: '+34 622 000 111' });
    expect(first.status).toBe(201);
    const sameEmail = await business('POST', '/clients', { firstName: 'Ana B', email: 'Ana.Unique@example.com' });
    expect(sameEmail.status).toBe(409);
    expect(sameEmail.body.error).toEqual({
      code: 'duplicate',
      message: 'email ana.unique@example.com is already used by another client',
      details: { field: 'email', value: 'ana.unique@example.com' },
    });
    const samePhone = await business('POST', '/clients', { firstName: 'Ana C', phone: '622 000 111' });
    expect(samePhone.status).toBe(409);
    expect(samePhone.body.error.message).toBe('phone +34622000111 is already used by another client');
    expect(samePhone.body.error.details).toEqual({ field: 'phone', value: '+34622000111' });

    const other = await business('POST', '/clients', { firstName: 'Bea', email: 'bea.unique@example.com' });
    const taken = await business('PATCH', `/clients/${other.body.id}`, { email: 'ana.unique@example.com' }, { 'if-match': '"1"' });
    expect(taken.status).toBe(409);

    expect((await business('PATCH', `/clients/${first.body.id}`, { email: 'ana.new@example.com', phone: null }, { 'if-match': '"1"' })).status).toBe(200);
    expect((await business('PATCH', `/clients/${other.body.id}`, { email: 'ana.unique@example.com', phone: '622 000 111' }, { 'if-match': '"1"' })).status).toBe(200);
    expect((await business('DELETE', `/clients/${first.body.id}`)).status).toBe(204);
    expect((await business('POST', '/clients', { firstName: 'Ana D', email: 'ana.new@example.com' })).status).toBe(201);
  });
});

/** A flood's answers, 30 seconds before its window ends: `accepted` of them 202, every other a 429 with Retry-After and `message`. */
function expectLimited(responses: readonly ApiResponse[], accepted: number, message: string): void {
  const statuses = responses.map((response) => response.status);
  expect(statuses.filter((status) => status === 202)).toHaveLength(accepted);
  expect(statuses.filter((status) => status === 429)).toHaveLength(responses.length - accepted);
  for (const refused of responses.filter((response) => response.status === 429)) {
    expect(refused.headers.get('retry-after')).toBe('30');
    expect(refused.body.error).toEqual({ code: 'rate_limited', message, details: { retryAfterSeconds: 30 } });
  }
}

describe('the per-business rate limit', () => {
  const limitedSlug = `salon-flood-${run}`;
  const neighbourSlug = `salon-neighbour-${run}`;
  let limited: Request;
  let restoreClock: () => void;

  beforeAll(async () => {
    limited = apiClient(api, `flood-${run}`);
    await publishWidgets(limited, limitedSlug);
    await publishWidgets(apiClient(api, `neighbour-${run}`), neighbourSlug);
    vi.stubEnv('PUBLIC_RATE_LIMIT', '5');
    // Above the business limit: the one local sender's flood must meet the business limit, not its own.
    vi.stubEnv('PUBLIC_SENDER_RATE_LIMIT', '100');
    vi.stubEnv('PUBLIC_RATE_WINDOW_SECONDS', '60');
    // The middle of a window: every request of the flood falls in the same one.
    const windowMiddle = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 30_000);
    restoreClock = useClock(() => windowMiddle);
  });
  afterAll(() => {
    restoreClock?.();
    vi.unstubAllEnvs();
  });

  it('holds under a flood: exactly the limit gets through, the rest get a clear 429 with Retry-After, another business is unaffected', async () => {
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => postPublic(api, limitedSlug, '/contact', { firstName: 'Flood', email: `flood-${i}@example.com`, message: `Hola ${i}` })),
    );
    expectLimited(responses, 5, 'This business is receiving too many requests; try again in 30 seconds');

    const leads: Client[] = (await limited('GET', '/clients?status=lead&limit=100')).body.items;
    expect(leads).toHaveLength(5);
    const items = await Promise.all(leads.map(async (client) => (await limited('GET', `/clients/${client.id}/messages`)).body.items));
    expect(items.flat()).toHaveLength(5);

    expect((await postPublic(api, neighbourSlug, '/contact', { firstName: 'Calm', email: 'calm@example.com', message: 'Hola' })).status).toBe(202);
  });
});

describe('the per-sender rate limit', () => {
  const floodedTenant = `sender-flood-${run}`;
  const floodedSlug = `salon-sender-${run}`;
  const otherSlug = `salon-sender-other-${run}`;
  let windowStart: Date;
  let restoreClock: () => void;
  let dynamo: DynamoDBClient;

  beforeAll(async () => {
    dynamo = localDynamoDbClient();
    await publishWidgets(apiClient(api, floodedTenant), floodedSlug);
    await publishWidgets(apiClient(api, `sender-other-${run}`), otherSlug);
    vi.stubEnv('PUBLIC_RATE_LIMIT', '10');
    vi.stubEnv('PUBLIC_SENDER_RATE_LIMIT', '3');
    vi.stubEnv('PUBLIC_RATE_WINDOW_SECONDS', '60');
    windowStart = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const windowMiddle = new Date(windowStart.getTime() + 30_000);
    restoreClock = useClock(() => windowMiddle);
  });
  afterAll(() => {
    restoreClock?.();
    vi.unstubAllEnvs();
    dynamo?.destroy();
  });

  /** The requests a rate counter holds in this window (the limiter's `rate#<key>` item). */
  async function counted(key: string): Promise<number | undefined> {
    const { Item } = await dynamo.send(new GetItemCommand({ TableName: api.env.tableName, Key: { pk: { S: `rate#${key}` }, sk: { S: windowStart.toISOString() } } }));
    return Item?.count?.N === undefined ? undefined : Number(Item.count.N);
  }

  it('refuses one sender over its limit with 429s naming the sender, without spending the business’s budget', async () => {
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, i) => postPublic(api, floodedSlug, '/contact', { firstName: 'Flood', email: `sender-${i}@example.com`, message: `Hola ${i}` })),
    );
    expectLimited(responses, 3, 'Too many requests from your address to this business; try again in 30 seconds');

    // Locally every visitor is 127.0.0.1, so the budget left for others shows in the counters: the
    // business counted only the accepted requests, 3 of its 10.
    expect(await counted(`public#${floodedTenant}#sender#127.0.0.1`)).toBe(3);
    expect(await counted(`public#${floodedTenant}`)).toBe(3);
    // The sender's limit is per business: the same sender still reaches another one.
    expect((await postPublic(api, otherSlug, '/contact', { firstName: 'Calm', email: 'calm@example.com', message: 'Hola' })).status).toBe(202);
  });
});
