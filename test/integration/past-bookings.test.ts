import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type MessagingApi } from './local-stack.ts';
import { apiClient, sample, type Request } from './api-client.ts';

/**
 * A booking entered after its start time (a walk-in written down afterwards) gets no "is confirmed"
 * message unless the settings page asks for one: through the real local path on an injected clock.
 */
let api: MessagingApi;
let now = new Date('2026-05-10T09:00:00Z');
let clients = 0;

beforeAll(async () => {
  api = await startApi({ messaging: { clock: () => now } });
});
afterAll(() => api?.close());

async function tenantWith(sendForPast?: boolean): Promise<{ request: Request; locationId: string }> {
  const request = apiClient(api, `past-${++clients}-${Date.now()}`);
  expect((await request('PUT', '/settings', sample.settings, { 'if-match': '"0"' })).status).toBe(200);
  const bookingConfirmation = { sms: false, ...(sendForPast === undefined ? {} : { sendForPast }) };
  expect((await request('PUT', '/settings/automated-messages', { ...sample.automatedMessages, bookingConfirmation }, { 'if-match': '"0"' })).status).toBe(200);
  const locationId = (await request('POST', '/locations', { name: 'Centro', timeZone: 'Europe/Madrid' })).body.id;
  return { request, locationId };
}

/** Books `start` (45 minutes) for a new client and returns what the conversation says of its confirmation, and the mail sent. */
async function confirmationOf(tenant: { request: Request; locationId: string }, start: string) {
  const { request, locationId } = tenant;
  const email = `client-${++clients}@past.example`;
  const client = (await request('POST', '/clients', { firstName: 'Ana', email, language: 'en', consent: { email: true, sms: false } })).body;
  const end = new Date(Date.parse(start) + 45 * 60_000).toISOString();
  expect((await request('POST', '/bookings', sample.booking(client.id, locationId, start, end))).status).toBe(201);
  await api.settle();
  const items = (await request('GET', `/clients/${client.id}/messages?limit=100`)).body.items as { messageType: string; status: string; reason?: string }[];
  const mail = (await api.sentEmails()).filter((sent) => sent.destination.to.includes(email)).map((sent) => sent.subject);
  return { recorded: items.filter((item) => item.messageType === 'booking_confirmation').map((item) => [item.status, item.reason]), mail };
}

describe('a booking entered after its start time', () => {
  it('sends no confirmation: recorded as not_sent, skipped: in_the_past', async () => {
    const tenant = await tenantWith();
    // 10 May 11:00 in Madrid is 09:00Z: this one started two hours before it was entered.
    expect(await confirmationOf(tenant, '2026-05-10T09:00:00+02:00')).toEqual({ recorded: [['not_sent', 'skipped: in_the_past']], mail: [] });
    expect(await confirmationOf(tenant, '2026-05-09T09:00:00+02:00')).toEqual({ recorded: [['not_sent', 'skipped: in_the_past']], mail: [] });
  });

  it('still confirms one that starts later, even a minute later', async () => {
    const tenant = await tenantWith();
    const { recorded, mail } = await confirmationOf(tenant, '2026-05-10T11:01:00+02:00');
    expect(recorded).toEqual([['sent', undefined]]);
    expect(mail).toEqual([expect.stringMatching(/is confirmed$/)]);
  });

  it('confirms it when the settings page asks to (bookingConfirmation.sendForPast)', async () => {
    const tenant = await tenantWith(true);
    const { recorded, mail } = await confirmationOf(tenant, '2026-05-10T09:00:00+02:00');
    expect(recorded).toEqual([['sent', undefined]]);
    expect(mail).toHaveLength(1);
  });
});
