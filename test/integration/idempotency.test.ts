import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '#adapters/dynamodb/record-store.ts';
import { bookingKind } from '#domain/bookings.ts';
import { clientFieldKind } from '#domain/client-fields.ts';
import { clientKind } from '#domain/clients.ts';
import { estimateKind } from '#domain/estimates.ts';
import { invoiceKind } from '#domain/invoices.ts';
import { leadKind } from '#domain/leads.ts';
import { locationKind } from '#domain/locations.ts';
import { ruleKind } from '#domain/messages/rules.ts';
import { orderKind } from '#domain/orders.ts';
import { localDynamoDbClient, startApi, type MessagingApi } from './local-stack.ts';
import { apiClient, sample, type ApiResponse, type Request } from './api-client.ts';

/**
 * Idempotency-Key on every creating route, through the local server, the real handlers and
 * DynamoDB Local, with the message path running: a repeat gets the first answer and creates
 * nothing, the key on another body is refused, and requests racing with one key create once.
 */
let api: MessagingApi;
/** The whole system's clock runs this far ahead of the real one (to let keys expire). */
let shift = 0;
const dynamo = localDynamoDbClient();
const documents = createDocumentClient(dynamo);
const run = Date.now().toString(36);
let tenants = 0;
let unique = 0;

beforeAll(async () => {
  api = await startApi({ messaging: { clock: () => new Date(Date.now() + shift) } });
});
afterAll(async () => {
  await api?.close();
  dynamo.destroy();
});

interface Tenant {
  readonly id: string;
  readonly request: Request;
  readonly locationId: string;
  readonly clientId: string;
  readonly email: string;
  /** An issued invoice of the client, past its due date. */
  readonly overdueInvoiceId: string;
}

/** A business of its own for each test, so that its records can simply be counted. */
async function newTenant(): Promise<Tenant> {
  const id = `idem-${run}-${++tenants}`;
  const request = apiClient(api, id);
  await api.tokenFor(id);
  const ok = async (response: Promise<ApiResponse>) => {
    const answer = await response;
    expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(300);
    return answer.body;
  };
  await ok(request('PUT', '/settings', sample.settings, { 'if-match': '"0"' }));
  const location = await ok(request('POST', '/locations', sample.location));
  const email = `ana-${id}@example.com`;
  const client = await ok(request('POST', '/clients', { firstName: 'Ana', email, language: 'es', consent: { email: true, sms: true } }));
  const invoice = await ok(request('POST', '/invoices', { ...sample.invoice(client.id), issueDate: '2025-01-01', dueDate: '2025-01-31' }));
  await ok(request('POST', `/invoices/${invoice.id}/issue`));
  await api.settle();
  return { id, request, locationId: location.id, clientId: client.id, email, overdueInvoiceId: invoice.id };
}

const countItems = async (tenant: Tenant, kind: string): Promise<number> => {
  const { Count } = await documents.send(
    new QueryCommand({
      TableName: api.env.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': `T#${tenant.id}`, ':prefix': `${kind}#` },
      Select: 'COUNT',
    }),
  );
  return Count ?? 0;
};

/** Messages sent from the card of the tenant's client, of one type, once delivered. */
const countMessages = (messageType: string) => async (tenant: Tenant): Promise<number> => {
  await api.settle();
  const page = await tenant.request('GET', `/clients/${tenant.clientId}/messages?limit=100`);
  return page.body.items.filter((item: { direction: string; messageType: string }) => item.direction === 'outbound' && item.messageType === messageType).length;
};

const emailsTo = async (tenant: Tenant): Promise<number> => {
  await api.settle();
  return (await api.sentEmails()).filter((email) => email.destination.to.includes(tenant.email)).length;
};

interface CreatingRoute {
  readonly route: string;
  readonly path: (tenant: Tenant) => string;
  /** A fresh valid body (unique numbers and addresses each call). */
  readonly body: (tenant: Tenant) => Record<string, unknown>;
  /** Another valid request: same route, different body. */
  readonly other: (tenant: Tenant) => Record<string, unknown>;
  /** How many of what the route creates the tenant has. */
  readonly count: (tenant: Tenant) => Promise<number>;
  /** Emails one create sends the client (a booking's confirmation, a card action's message). */
  readonly emails: number;
}

const records = (path: string, kind: string, body: CreatingRoute['body'], other: CreatingRoute['other'], emails = 0): CreatingRoute => ({
  route: `POST ${path}`,
  path: () => path,
  body,
  other,
  count: (tenant) => countItems(tenant, kind),
  emails,
});

const cardAction = (segment: string, messageType: string, body: CreatingRoute['body'], other: CreatingRoute['other']): CreatingRoute => ({
  route: `POST /clients/{id}/${segment}`,
  path: (tenant) => `/clients/${tenant.clientId}/${segment}`,
  body,
  other,
  count: countMessages(messageType),
  emails: 1,
});

const creatingRoutes: readonly CreatingRoute[] = [
  records('/locations', locationKind, () => ({ name: `Norte ${++unique}`, timeZone: 'Europe/Madrid' }), () => ({ name: 'Sur', timeZone: 'Europe/Madrid' })),
  records('/clients', clientKind, () => ({ firstName: 'Luis', email: `luis-${run}-${++unique}@example.com` }), () => ({ firstName: 'Marta', email: `marta-${run}-${++unique}@example.com` })),
  records('/client-fields', clientFieldKind, () => ({ label: `Hair ${++unique}`, type: 'text' }), () => ({ label: 'Allergies', type: 'text' })),
  records(
    '/bookings',
    bookingKind,
    (t) => sample.booking(t.clientId, t.locationId, '2030-03-29T10:00:00+02:00', '2030-03-29T10:45:00+02:00'),
    (t) => ({ ...sample.booking(t.clientId, t.locationId, '2030-03-29T10:00:00+02:00', '2030-03-29T10:45:00+02:00'), service: 'Tinte' }),
    1,
  ),
  records('/invoices', invoiceKind, (t) => sample.invoice(t.clientId), (t) => sample.invoice(t.clientId)),
  records('/estimates', estimateKind, (t) => sample.estimate(t.clientId), (t) => sample.estimate(t.clientId)),
  records('/orders', orderKind, (t) => sample.order(t.clientId, t.locationId), (t) => ({ ...sample.order(t.clientId, t.locationId), title: 'Replace battery' })),
  records('/leads', leadKind, (t) => sample.lead(t.clientId), (t) => ({ ...sample.lead(t.clientId), source: 'phone' })),
  records('/rules', ruleKind, (t) => sample.rule(t.locationId), (t) => ({ ...sample.rule(t.locationId), name: 'Ready by email', channel: 'email' })),
  cardAction('messages', 'free_form', () => ({ channel: 'email', text: 'Te esperamos el lunes.' }), () => ({ channel: 'email', text: 'Mejor el martes.' })),
  cardAction('payment-reminders', 'invoice_overdue', (t) => ({ invoiceId: t.overdueInvoiceId }), (t) => ({ invoiceId: t.overdueInvoiceId, channel: 'sms' })),
  cardAction('booking-invitations', 'booking_invitation', () => ({}), () => ({ channel: 'sms' })),
];

/** What a client compares between two answers: status, body, and the ETag and Location headers. */
const answerOf = (response: ApiResponse) => ({ status: response.status, body: response.body, etag: response.headers.get('etag'), location: response.headers.get('location') });

/** 409s that say "try again": the key (or another item of the transaction) was being written by a racing request. */
const retryable = (response: ApiResponse) => response.status === 409 && ['idempotency_key_in_progress', 'transaction_conflict'].includes(response.body?.error?.code);

describe.each(creatingRoutes)('$route with an Idempotency-Key', (creating) => {
  const post = (tenant: Tenant, body: unknown, key: string) => tenant.request('POST', creating.path(tenant), body, { 'idempotency-key': key });

  it('answers a retry with the first answer and creates one', async () => {
    const tenant = await newTenant();
    const [before, emailsBefore] = [await creating.count(tenant), await emailsTo(tenant)];
    const body = creating.body(tenant);
    const first = await post(tenant, body, `retry-${run}`);
    expect(first.status, JSON.stringify(first.body)).toBeLessThan(300);
    const retry = await post(tenant, body, `retry-${run}`);
    expect(answerOf(retry)).toEqual(answerOf(first));
    expect(await creating.count(tenant)).toBe(before + 1);
    expect(await emailsTo(tenant)).toBe(emailsBefore + creating.emails);
  });

  it('refuses the key on another body with 422 naming it, creating nothing more', async () => {
    const tenant = await newTenant();
    const before = await creating.count(tenant);
    const key = `reused ${run} #1`;
    expect((await post(tenant, creating.body(tenant), key)).status).toBeLessThan(300);
    const refused = await post(tenant, creating.other(tenant), key);
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'idempotency_key_reused', message: expect.stringContaining(`"${key}"`) });
    expect(await creating.count(tenant)).toBe(before + 1);
  });

  it('creates once when eight requests with one key race', async () => {
    const tenant = await newTenant();
    const [before, emailsBefore] = [await creating.count(tenant), await emailsTo(tenant)];
    const body = creating.body(tenant);
    const key = `race-${run}`;
    const answers = await Promise.all(Array.from({ length: 8 }, () => post(tenant, body, key)));
    // Every race is over now, so a retry of a "try again" finds the winner's answer (or, if all lost, makes it).
    for (const [index, answer] of answers.entries()) {
      if (retryable(answer)) answers[index] = await post(tenant, body, key);
    }
    expect(answers[0]!.status, JSON.stringify(answers[0]!.body)).toBeLessThan(300);
    expect(answers.map(answerOf)).toEqual(Array(8).fill(answerOf(answers[0]!)));
    expect(await creating.count(tenant)).toBe(before + 1);
    expect(await emailsTo(tenant)).toBe(emailsBefore + creating.emails);
  });
});

describe('keys', () => {
  it('are per tenant: another business’s same key and body create its own record', async () => {
    const [one, two] = [await newTenant(), await newTenant()];
    const key = `shared-${run}`;
    const location = { name: 'Centro', timeZone: 'Europe/Madrid' };
    const mine = await one.request('POST', '/locations', location, { 'idempotency-key': key });
    const theirs = await two.request('POST', '/locations', location, { 'idempotency-key': key });
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect([await countItems(one, locationKind), await countItems(two, locationKind)]).toEqual([2, 2]);
  });

  it('are per operation: one key on two routes is two keys', async () => {
    const tenant = await newTenant();
    const key = `both-${run}`;
    const location = await tenant.request('POST', '/locations', { name: 'Norte', timeZone: 'Europe/Madrid' }, { 'idempotency-key': key });
    const order = await tenant.request('POST', '/orders', sample.order(tenant.clientId, tenant.locationId), { 'idempotency-key': key });
    expect([location.status, order.status]).toEqual([201, 201]);
    expect([await countItems(tenant, locationKind), await countItems(tenant, orderKind)]).toEqual([2, 1]);
  });

  it('are refused with 400 when not 1 to 255 printable ASCII characters, creating nothing', async () => {
    const tenant = await newTenant();
    const refused = await tenant.request('POST', '/locations', { name: 'Norte', timeZone: 'Europe/Madrid' }, { 'idempotency-key': 'k'.repeat(256) });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.issues).toEqual([{ path: 'Idempotency-Key', message: expect.stringContaining('printable ASCII') }]);
    expect(await countItems(tenant, locationKind)).toBe(1);
  });

  it('are not spent by a failed request', async () => {
    const tenant = await newTenant();
    const key = `failed-${run}`;
    const missing = await tenant.request('POST', '/bookings', sample.booking('no-such-client', tenant.locationId, '2030-04-01T10:00:00+02:00', '2030-04-01T11:00:00+02:00'), { 'idempotency-key': key });
    expect(missing.status).toBe(400);
    const fixed = await tenant.request('POST', '/bookings', sample.booking(tenant.clientId, tenant.locationId, '2030-04-01T10:00:00+02:00', '2030-04-01T11:00:00+02:00'), { 'idempotency-key': key });
    expect(fixed.status).toBe(201);
    expect(await countItems(tenant, bookingKind)).toBe(1);
  });

  it('expire after a day: the key is then free for a new request', async () => {
    const tenant = await newTenant();
    const key = `day-${run}`;
    const first = await tenant.request('POST', '/locations', { name: 'Norte', timeZone: 'Europe/Madrid' }, { 'idempotency-key': key });
    try {
      shift = 24 * 60 * 60 * 1000 - 60_000;
      expect(answerOf(await tenant.request('POST', '/locations', { name: 'Norte', timeZone: 'Europe/Madrid' }, { 'idempotency-key': key }))).toEqual(answerOf(first));
      shift = 24 * 60 * 60 * 1000 + 60_000;
      const later = await tenant.request('POST', '/locations', { name: 'Sur', timeZone: 'Europe/Madrid' }, { 'idempotency-key': key });
      expect(later.status).toBe(201);
      expect(later.body.name).toBe('Sur');
      expect(answerOf(await tenant.request('POST', '/locations', { name: 'Sur', timeZone: 'Europe/Madrid' }, { 'idempotency-key': key }))).toEqual(answerOf(later));
    } finally {
      shift = 0;
    }
    expect(await countItems(tenant, locationKind)).toBe(3);
  });
});
