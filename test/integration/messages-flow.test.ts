import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type MessagingApi } from './local-stack.ts';
import { apiClient, sample, type Request } from './api-client.ts';

/**
 * The real path: API → DynamoDB Local → stream → evaluator → delivery queue → delivery →
 * aws-ses-v2-local and the SMS outbox, and the conversation read back through the API.
 */
let api: MessagingApi;
let request: Request;
let tenant: string;
let centro: string;
let norte: string;
let ana: { id: string };
let luis: { id: string };

const settings = { ...sample.settings, bookingApproval: 'automatic' };
const automated = { ...sample.automatedMessages, bookingConfirmation: { sms: true }, newInvoice: { sms: true } };

beforeAll(async () => {
  api = await startApi({ messaging: true });
  tenant = `flow-${Date.now()}`;
  request = apiClient(api, tenant);
  await api.tokenFor(tenant);
  expect((await request('PUT', '/settings', settings, { 'if-match': '"0"' })).status).toBe(200);
  expect((await request('PUT', '/settings/automated-messages', automated, { 'if-match': '"0"' })).status).toBe(200);
  centro = (await request('POST', '/locations', { name: 'Centro', timeZone: 'Europe/Madrid' })).body.id;
  norte = (await request('POST', '/locations', { name: 'Norte', timeZone: 'Europe/Madrid' })).body.id;
  ana = (await request('POST', '/clients', { firstName: 'Ana', email: 'ana@example.com', phone: '612 345 678', language: 'es', consent: { email: true, sms: true } })).body;
  luis = (await request('POST', '/clients', { firstName: 'Luis', email: 'luis@example.com', phone: '+33 6 12 34 56 78', language: 'fr', consent: { email: true, sms: false } })).body;
  await api.settle();
});
afterAll(() => api?.close());

/** What reached the providers during `act`, once everything has settled. */
async function delivered(act: () => Promise<unknown>) {
  const [emailsBefore, smsBefore] = [(await api.sentEmails()).length, (await api.sentSms()).length];
  await act();
  await api.settle();
  return { emails: (await api.sentEmails()).slice(emailsBefore), sms: (await api.sentSms()).slice(smsBefore) };
}

const book = (client: string, location = centro, start = '2026-12-03T10:00:00+01:00', end = '2026-12-03T10:45:00+01:00') =>
  request('POST', '/bookings', sample.booking(client, location, start, end));

describe('booking messages', () => {
  it('confirms a booking by email and SMS, in the client’s language and the location’s time', async () => {
    const { emails, sms } = await delivered(() => book(ana.id));
    expect(emails).toHaveLength(1);
    expect(emails[0]!.destination.to).toEqual(['ana@example.com']);
    expect(emails[0]!.body.text).toMatch(/10:00/);
    expect(emails[0]!.body.text).toMatch(/diciembre/);
    expect(emails[0]!.body.html).toContain('Ana');
    expect(sms).toHaveLength(1);
    expect(sms[0]).toMatchObject({ to: '+34612345678' });
    expect(sms[0]!.text).toContain('10:00');
  });

  it('withholds the SMS of a client who did not opt in, and records why', async () => {
    const { emails, sms } = await delivered(() => book(luis.id));
    expect(emails.map((email) => email.destination.to[0])).toEqual(['luis@example.com']);
    expect(emails[0]!.body.text).toMatch(/décembre/);
    expect(sms).toEqual([]);
    const conversation = (await request('GET', `/clients/${luis.id}/messages`)).body.items;
    expect(conversation.map((message: { channel: string; status: string; reason?: string }) => [message.channel, message.status, message.reason])).toEqual(
      expect.arrayContaining([
        ['sms', 'not_sent', 'no_consent'],
        ['email', 'sent', undefined],
      ]),
    );
  });

  it('sends each status message: rescheduled with the new time, then cancelled with the custom text', async () => {
    const booking = (await book(ana.id, centro, '2026-12-10T10:00:00+01:00', '2026-12-10T10:30:00+01:00')).body;
    await api.settle();
    const moved = await delivered(() =>
      request('PATCH', `/bookings/${booking.id}`, { start: '2026-12-11T17:30:00+01:00', end: '2026-12-11T18:00:00+01:00' }, { 'if-match': '"1"' }),
    );
    expect(moved.emails).toHaveLength(1);
    expect(moved.emails[0]!.body.text).toContain('17:30');
    expect(moved.sms).toEqual([]);

    const cancelled = await delivered(() => request('POST', `/bookings/${booking.id}/cancel`, { by: 'client' }));
    expect(cancelled.emails).toHaveLength(1);
    expect(cancelled.sms.map((message) => message.text)).toEqual(['Hola Ana, tu cita ha sido cancelada.']);
  });

  it('sends pending, then confirmed or rejected, when the business approves bookings by hand', async () => {
    await request('PUT', '/settings', { ...settings, bookingApproval: 'manual' }, { 'if-match': '"1"' });
    const pending = await delivered(() => book(luis.id, centro, '2026-12-15T09:00:00+01:00', '2026-12-15T09:30:00+01:00'));
    expect(pending.emails).toHaveLength(1);
    const first = (await request('GET', `/bookings?clientId=${luis.id}&status=pending`)).body.items[0];
    const confirmed = await delivered(() => request('POST', `/bookings/${first.id}/confirm`));
    expect(confirmed.emails).toHaveLength(1);
    expect(confirmed.emails[0]!.subject).not.toBe(pending.emails[0]!.subject);

    await book(luis.id, centro, '2026-12-16T09:00:00+01:00', '2026-12-16T09:30:00+01:00');
    await api.settle();
    const second = (await request('GET', `/bookings?clientId=${luis.id}&status=pending`)).body.items[0];
    const rejected = await delivered(() => request('POST', `/bookings/${second.id}/reject`));
    expect(rejected.emails).toHaveLength(1);
    await request('PUT', '/settings', settings, { 'if-match': '"2"' });
  });
});

describe('payment messages', () => {
  it('notifies a new invoice by email and SMS and a new estimate by email, with amounts in the client’s format', async () => {
    const invoice = (await request('POST', '/invoices', { ...sample.invoice(ana.id), amountMinor: 12050 })).body;
    const estimate = (await request('POST', '/estimates', sample.estimate(ana.id))).body;
    const drafts = await delivered(async () => undefined);
    expect(drafts.emails).toEqual([]);

    const issued = await delivered(async () => {
      await request('POST', `/invoices/${invoice.id}/issue`);
      await request('POST', `/estimates/${estimate.id}/issue`);
    });
    expect(issued.emails).toHaveLength(2);
    expect(issued.emails.map((email) => email.body.text).join('\n')).toContain('120,50');
    expect(issued.sms).toHaveLength(1);
  });
});

describe('custom rules', () => {
  it('sends an SMS when an order becomes Ready, only for the rule’s location', async () => {
    const rule = await request('POST', '/rules', {
      name: 'Ready at Centro',
      trigger: { entity: 'order', on: 'status_changed', toStatus: 'Ready' },
      audience: 'client',
      channel: 'sms',
      template: 'order_status_changed',
      locations: [centro],
    });
    expect(rule.status).toBe(201);
    const atCentro = (await request('POST', '/orders', { ...sample.order(ana.id, centro), title: 'Pantalla' })).body;
    const atNorte = (await request('POST', '/orders', { ...sample.order(ana.id, norte), title: 'Batería' })).body;
    await api.settle();

    const inProgress = await delivered(() => request('PATCH', `/orders/${atCentro.id}`, { status: 'In progress' }, { 'if-match': '"1"' }));
    expect(inProgress.sms).toEqual([]);
    const ready = await delivered(() => request('PATCH', `/orders/${atCentro.id}`, { status: 'Ready' }, { 'if-match': '"2"' }));
    expect(ready.sms).toHaveLength(1);
    expect(ready.sms[0]!.text).toContain('Pantalla');
    const elsewhere = await delivered(() => request('PATCH', `/orders/${atNorte.id}`, { status: 'Ready' }, { 'if-match': '"1"' }));
    expect(elsewhere.sms).toEqual([]);
  });
});

describe('exactly once', () => {
  it('sends nothing twice when a stream batch is replayed', async () => {
    const first = await delivered(() => book(ana.id, centro, '2026-12-20T12:00:00+01:00', '2026-12-20T12:30:00+01:00'));
    expect(first.emails.length + first.sms.length).toBe(2);
    const replay = await delivered(async () => {
      const response = await api.replayLastBatch();
      expect(response?.batchItemFailures ?? []).toEqual([]);
    });
    expect(replay).toEqual({ emails: [], sms: [] });
  });

  it('lists the conversation newest first, one entry per message', async () => {
    const items = (await request('GET', `/clients/${ana.id}/messages?limit=100`)).body.items as { id: string; createdAt: string }[];
    expect(new Set(items.map((item) => item.id)).size).toBe(items.length);
    expect(items.map((item) => item.createdAt)).toEqual([...items.map((item) => item.createdAt)].sort().reverse());
    expect(items.length).toBeGreaterThanOrEqual(8);
  });
});
