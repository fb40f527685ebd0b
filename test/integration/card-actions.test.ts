import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type MessagingApi } from './local-stack.ts';
import { apiClient, sample, withoutFooter, type Request } from './api-client.ts';

/**
 * The client card's actions through the real path: API → delivery queue → delivery →
 * aws-ses-v2-local or the SMS outbox, and the conversation read back through the API.
 */
let api: MessagingApi;
let request: Request;
const run = Date.now().toString(36);
const tenant = `card-actions-${run}`;

let counter = 0;
const address = (name: string) => `${name}-${run}-${++counter}@example.com`;

beforeAll(async () => {
  api = await startApi({ messaging: true });
  request = apiClient(api, tenant);
  await api.tokenFor(tenant);
  expect((await request('PUT', '/settings', sample.settings, { 'if-match': '"0"' })).status).toBe(200);
});
afterAll(() => api?.close());

async function client(fields: Record<string, unknown> = {}): Promise<{ id: string; email: string }> {
  const email = address('ana');
  const created = await request('POST', '/clients', { firstName: 'Ana', email, phone: `+3461${String(counter).padStart(7, '0')}`, language: 'es', consent: { email: true, sms: true }, ...fields });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { id: created.body.id, email };
}

/** An issued invoice of the client, due on `dueDate`. */
async function invoice(clientId: string, dueDate: string): Promise<{ id: string; number: string }> {
  const created = await request('POST', '/invoices', { ...sample.invoice(clientId), issueDate: '2025-01-01', dueDate });
  expect((await request('POST', `/invoices/${created.body.id}/issue`)).status).toBe(200);
  await api.settle();
  return created.body;
}

/** What reached `to` during `act`, once everything has settled. */
async function delivered<T>(to: string, act: () => Promise<T>) {
  const [emailsBefore, smsBefore] = [(await api.sentEmails()).length, (await api.sentSms()).length];
  const result = await act();
  await api.settle();
  return {
    result,
    emails: (await api.sentEmails()).slice(emailsBefore).filter((email) => email.destination.to.includes(to)),
    sms: (await api.sentSms()).slice(smsBefore).filter((sms) => sms.to === to),
  };
}

type Item = { id: string; direction: string; channel: string; messageType: string; status: string; reason?: string; text?: string; subject?: string };
const outbound = async (clientId: string): Promise<Item[]> =>
  (await request('GET', `/clients/${clientId}/messages`)).body.items.filter((item: Item) => item.direction === 'outbound' && item.messageType !== 'invoice_issued');

describe('a payment reminder now', () => {
  it('reminds of an overdue invoice by email and keeps it in the conversation', async () => {
    const ana = await client();
    const overdue = await invoice(ana.id, '2025-01-31');
    const { result, emails } = await delivered(ana.email, () => request('POST', `/clients/${ana.id}/payment-reminders`, { invoiceId: overdue.id }));
    expect(result.status).toBe(202);
    expect(result.body).toEqual({ messageId: expect.stringMatching(new RegExp(`^invoice\\.${overdue.id}\\.manual\\.invoice_overdue\\.`)), status: 'queued' });
    expect(emails).toHaveLength(1);
    expect(emails[0]!.body.text).toContain(overdue.number);
    expect(await outbound(ana.id)).toEqual([expect.objectContaining({ id: result.body.messageId, messageType: 'invoice_overdue', channel: 'email', status: 'sent' })]);
  });

  it('refuses an invoice that is paid, not yet due or another client’s with 409, and an unknown one with 404, sending nothing', async () => {
    const ana = await client();
    const other = await client();
    const paid = await invoice(ana.id, '2025-01-31');
    await request('POST', `/invoices/${paid.id}/pay`);
    const notDue = await invoice(ana.id, '2099-12-31');
    const theirs = await invoice(other.id, '2025-01-31');
    const { emails } = await delivered(ana.email, async () => {
      const remind = (invoiceId: string) => request('POST', `/clients/${ana.id}/payment-reminders`, { invoiceId });
      const refusals = [await remind(paid.id), await remind(notDue.id), await remind(theirs.id)];
      expect(refusals.map((response) => [response.status, response.body.error.code])).toEqual([
        [409, 'conflict'],
        [409, 'conflict'],
        [409, 'conflict'],
      ]);
      expect(refusals.map((response) => response.body.error.message)).toEqual([
        expect.stringContaining('is paid'),
        expect.stringContaining('not overdue yet'),
        expect.stringContaining('belongs to another client'),
      ]);
      expect((await remind('no-such-invoice')).status).toBe(404);
    });
    expect(emails).toEqual([]);
    expect(await outbound(ana.id)).toEqual([]);
  });
});

describe('an invitation to book again', () => {
  it('goes by SMS when asked, and shows in the conversation', async () => {
    const ana = await client();
    const phone = (await request('GET', `/clients/${ana.id}`)).body.phone;
    const { result, sms } = await delivered(phone, () => request('POST', `/clients/${ana.id}/booking-invitations`, { channel: 'sms' }));
    expect(result.status).toBe(202);
    expect(sms).toHaveLength(1);
    expect(sms[0]!.text).toContain('Ana');
    expect(await outbound(ana.id)).toEqual([expect.objectContaining({ id: result.body.messageId, messageType: 'booking_invitation', channel: 'sms', status: 'sent' })]);
  });

  it('is recorded as not sent when the client does not accept email', async () => {
    const ana = await client({ consent: { email: false, sms: false } });
    const { emails } = await delivered(ana.email, () => request('POST', `/clients/${ana.id}/booking-invitations`, {}));
    expect(emails).toEqual([]);
    expect(await outbound(ana.id)).toEqual([expect.objectContaining({ messageType: 'booking_invitation', channel: 'email', status: 'not_sent', reason: 'no_consent' })]);
  });
});

describe('a message of the business’s own', () => {
  it('arrives as written, with markup escaped in the HTML, and shows in the conversation', async () => {
    const ana = await client();
    const text = 'Ya tienes tus productos <script>alert(1)</script> {{ business.name }}';
    const { result, emails } = await delivered(ana.email, () => request('POST', `/clients/${ana.id}/messages`, { channel: 'email', subject: 'Tu pedido', text }));
    expect(result.status).toBe(202);
    expect(emails).toHaveLength(1);
    expect(emails[0]!.subject).toBe('Tu pedido');
    expect(withoutFooter(emails[0]!.body.text)).toBe(`${text}\n\n${sample.settings.businessName}`);
    expect(emails[0]!.body.html).not.toContain('<script>');
    expect(emails[0]!.body.html).toContain('&lt;script&gt;');
    expect(await outbound(ana.id)).toEqual([expect.objectContaining({ id: result.body.messageId, messageType: 'free_form', status: 'sent', subject: 'Tu pedido', text: emails[0]!.body.text })]);
  });

  it('sends once for the same Idempotency-Key, and again without one', async () => {
    const ana = await client();
    const key = `retry-${run}`;
    const send = (headers: Record<string, string> = {}) => request('POST', `/clients/${ana.id}/messages`, { channel: 'email', text: 'Te esperamos el lunes.' }, headers);
    const { result, emails } = await delivered(ana.email, async () => [await send({ 'idempotency-key': key }), await send({ 'idempotency-key': key })]);
    expect(result.map((response) => response.status)).toEqual([202, 202]);
    expect(result[1]!.body.messageId).toBe(result[0]!.body.messageId);
    expect(emails).toHaveLength(1);

    const again = await delivered(ana.email, () => send());
    expect(again.emails).toHaveLength(1);
    expect(again.result.body.messageId).not.toBe(result[0]!.body.messageId);
  });

  it('refuses bad input with 400 naming the field, and an unknown or archived client, sending nothing', async () => {
    const ana = await client();
    const archived = await client({ status: 'archived' });
    const { emails, sms } = await delivered(ana.email, async () => {
      const post = (body: unknown, id = ana.id, headers: Record<string, string> = {}) => request('POST', `/clients/${id}/messages`, body, headers);
      const issues = async (body: unknown, headers?: Record<string, string>) => {
        const response = await post(body, ana.id, headers);
        expect(response.status).toBe(400);
        return response.body.error.details.issues;
      };
      expect(await issues({ channel: 'sms', subject: 'Hola', text: 'Hola' })).toEqual([{ path: 'subject', message: 'an SMS has no subject; remove it' }]);
      expect(await issues({ channel: 'sms', text: 'x'.repeat(1601) })).toEqual([{ path: 'text', message: 'an SMS is at most 10 segments (this one is 11)' }]);
      expect(await issues({ channel: 'email', text: '   ' })).toEqual([{ path: 'text', message: expect.any(String) }]);
      expect(await issues({ channel: 'email', subject: 'two\nlines', text: 'Hola' })).toEqual([{ path: 'subject', message: 'must be a single line' }]);
      expect(await issues({ channel: 'fax', text: 'Hola' })).toEqual([{ path: 'channel', message: expect.any(String) }]);
      expect(await issues({ channel: 'email', text: 'Hola' }, { 'idempotency-key': 'k'.repeat(256) })).toEqual([{ path: 'Idempotency-Key', message: expect.stringContaining('printable ASCII') }]);
      expect((await post({ channel: 'email', text: 'Hola' }, 'no-such-client')).status).toBe(404);
      const refused = await post({ channel: 'email', text: 'Hola' }, archived.id);
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toContain('archived');
    });
    expect([...emails, ...sms]).toEqual([]);
    expect(await outbound(ana.id)).toEqual([]);
    expect(await outbound(archived.id)).toEqual([]);
  });
});
