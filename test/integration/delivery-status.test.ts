import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ulid } from 'ulid';
import { startApi, type MessagingApi } from './local-stack.ts';
import { apiClient, sample, type Request } from './api-client.ts';

// Delivery status through the local stack, with the SES mailbox simulator stand-in answering each
// email as SES answers mail to its addresses, through the same email events handler as on AWS.
let api: MessagingApi;
let request: Request;
const tenant = `status-${ulid().toLowerCase()}`;
let counter = 0;

beforeAll(async () => {
  api = await startApi({ messaging: { mailboxSimulator: true } });
  request = apiClient(api, tenant);
  expect((await request('PUT', '/settings', sample.settings, { 'if-match': '"0"' })).status).toBe(200);
});
afterAll(() => api?.close());

const simulator = (mailbox: string) => `${mailbox}+${tenant}-${++counter}@simulator.amazonses.com`;

async function client(fields: Record<string, unknown>): Promise<{ id: string }> {
  const created = await request('POST', '/clients', { firstName: 'Ana', language: 'es', consent: { email: true, sms: true }, ...fields });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body;
}

type Item = { id: string; direction: string; status: string; reason?: string; deliveryEvents?: { type: string; diagnostic?: string }[] };
/** Invites the client to book again (a message sent now) and resolves with it as the conversation shows it, once settled. */
async function invite(clientId: string, channel: 'email' | 'sms' = 'email'): Promise<Item> {
  const sent = await request('POST', `/clients/${clientId}/booking-invitations`, { channel });
  expect(sent.status, JSON.stringify(sent.body)).toBe(202);
  await api.settle();
  const items: Item[] = (await request('GET', `/clients/${clientId}/messages`)).body.items;
  return items.find((item) => item.id === sent.body.messageId)!;
}
const card = async (id: string) => (await request('GET', `/clients/${id}`)).body;

describe('delivery status from SES events (local mailbox simulator)', () => {
  it('an ordinary address is delivered, with the Send and Delivery events on the message', async () => {
    const ana = await client({ email: simulator('success') });
    const message = await invite(ana.id);
    expect(message).toMatchObject({ status: 'delivered' });
    expect(message.deliveryEvents!.map((event) => event.type)).toEqual(['Send', 'Delivery']);
  });

  it('a hard bounce moves the message to bounced and suppresses the address: the next message is not_sent: suppressed', async () => {
    const email = simulator('bounce');
    const ana = await client({ email });
    const first = await invite(ana.id);
    expect(first).toMatchObject({ status: 'bounced', reason: 'bounced: Permanent/General: smtp; 550 5.1.1 user unknown' });
    const suppressed = await card(ana.id);
    expect(suppressed.suppressions).toEqual({ email: { address: email, cause: { event: 'Bounce', messageId: first.id, at: expect.any(String), diagnostic: expect.stringContaining('550 5.1.1') } } });
    const before = (await api.sentEmails()).length;
    const next = await invite(ana.id);
    expect(next).toMatchObject({ status: 'not_sent', reason: expect.stringMatching(new RegExp(`^suppressed: Bounce of message ${first.id.replace(/\./g, '\\.')} at `)) });
    expect((await api.sentEmails()).length).toBe(before);
  });

  it('a complaint: delivered, then complained, and the address suppressed', async () => {
    const ana = await client({ email: simulator('complaint') });
    const first = await invite(ana.id);
    expect(first).toMatchObject({ status: 'complained', reason: 'complained: abuse' });
    expect(first.deliveryEvents!.map((event) => event.type)).toEqual(['Send', 'Delivery', 'Complaint']);
    expect((await card(ana.id)).suppressions.email.cause.event).toBe('Complaint');
    expect(await invite(ana.id)).toMatchObject({ status: 'not_sent', reason: expect.stringMatching(/^suppressed: Complaint/) });
  });

  it('the business lifts a suppression (If-Match), and messages go again; lifting again changes nothing', async () => {
    const ana = await client({ email: simulator('suppressionlist') });
    expect(await invite(ana.id)).toMatchObject({ status: 'bounced', reason: expect.stringContaining('OnAccountSuppressionList') });
    const suppressed = await request('GET', `/clients/${ana.id}`);
    expect((await request('DELETE', `/clients/${ana.id}/suppressions/email`, undefined, { 'if-match': '"1"' })).status).toBe(412);
    const lifted = await request('DELETE', `/clients/${ana.id}/suppressions/email`, undefined, { 'if-match': suppressed.headers.get('etag')! });
    expect(lifted.status).toBe(200);
    expect(lifted.body.suppressions).toBeUndefined();
    const again = await request('DELETE', `/clients/${ana.id}/suppressions/email`, undefined, { 'if-match': lifted.headers.get('etag')! });
    expect([again.status, again.headers.get('etag')!]).toEqual([200, lifted.headers.get('etag')!]);
    expect((await request('DELETE', `/clients/${ana.id}/suppressions/sms`, undefined, { 'if-match': lifted.headers.get('etag')! })).status).toBe(400);
    // The address still bounces, so the message goes (and bounces again).
    expect(await invite(ana.id)).toMatchObject({ status: 'bounced' });
  });

  it('a new email address lifts the suppression of the old one', async () => {
    const ana = await client({ email: simulator('bounce') });
    await invite(ana.id);
    const suppressed = await request('GET', `/clients/${ana.id}`);
    expect(suppressed.body.suppressions.email).toBeDefined();
    const changed = await request('PATCH', `/clients/${ana.id}`, { email: simulator('success') }, { 'if-match': suppressed.headers.get('etag')! });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.suppressions).toBeUndefined();
    expect(await invite(ana.id)).toMatchObject({ status: 'delivered' });
  });
});

describe('SMS opt-out', () => {
  it('an opted-out number gets no SMS: not_sent: opted_out, and the client\'s SMS consent is turned off with the reason', async () => {
    const phone = `+3469${String(Date.now() % 10_000_000).padStart(7, '0')}`;
    const ana = await client({ email: simulator('success'), phone });
    await api.smsStop(phone);
    const before = (await api.sentSms()).length;
    const message = await invite(ana.id, 'sms');
    expect(message).toMatchObject({ status: 'not_sent', reason: 'opted_out' });
    expect((await api.sentSms()).length).toBe(before);
    const after = await card(ana.id);
    expect(after.consent.sms).toBe(false);
    expect(after.smsOptOut).toEqual({ reason: 'opted_out', phone, messageId: message.id, at: expect.any(String) });
    expect(await invite(ana.id, 'sms')).toMatchObject({ status: 'not_sent', reason: 'no_consent' });
  });
});
