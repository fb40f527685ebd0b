import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type MessagingApi } from './local-stack.ts';
import { apiClient, sample, type Request } from './api-client.ts';

/**
 * Re-engagement through the real local path on an injected clock: a completed visit arms an
 * invitation to book again four weeks after it ends, sent only if the client has booked nothing
 * since. Expected instants are worked out by hand (Madrid is at +02:00 from April to October).
 */
let api: MessagingApi;
let request: Request;
let now = new Date('2026-05-01T08:00:00Z');

const tenant = `re-engagement-${Date.now()}`;
let madrid: string;
const automated = { ...sample.automatedMessages, reEngagement: { mode: 'client', after: { amount: 4, unit: 'weeks' } } };

beforeAll(async () => {
  api = await startApi({ messaging: { clock: () => now } });
  request = apiClient(api, tenant);
  expect((await request('PUT', '/settings', sample.settings, { 'if-match': '"0"' })).status).toBe(200);
  expect((await request('PUT', '/settings/automated-messages', automated, { 'if-match': '"0"' })).status).toBe(200);
  madrid = (await request('POST', '/locations', { name: 'Centro', timeZone: 'Europe/Madrid' })).body.id;
  await api.settle();
});
afterAll(() => api?.close());

let clients = 0;
async function newClient(language = 'en', consent = { email: true, sms: false }): Promise<{ id: string; email: string }> {
  const email = `client-${++clients}@re-engagement.example`;
  const response = await request('POST', '/clients', { firstName: 'Ana', email, language, consent });
  expect(response.status).toBe(201);
  return { id: response.body.id, email };
}

async function book(clientId: string, start: string, end: string): Promise<{ id: string }> {
  const response = await request('POST', '/bookings', sample.booking(clientId, madrid, start, end));
  expect(response.status).toBe(201);
  await api.settle();
  return response.body;
}

async function act(bookingId: string, action: 'complete' | 'cancel', body?: unknown): Promise<void> {
  expect((await request('POST', `/bookings/${bookingId}/${action}`, body)).status).toBe(200);
  await api.settle();
}

/** A visit on `day` (YYYY-MM-DD), 10:00-10:45 in Madrid, completed that day at noon. */
async function visit(clientId: string, day: string): Promise<{ id: string }> {
  now = new Date(`${day}T06:00:00Z`);
  const booking = await book(clientId, `${day}T10:00:00+02:00`, `${day}T10:45:00+02:00`);
  now = new Date(`${day}T10:00:00Z`);
  await act(booking.id, 'complete');
  return booking;
}

/** Moves the clock to `iso`, fires what is due, and returns the subjects of the emails to `to` that went out meanwhile. */
const at = async (iso: string, to: string): Promise<string[]> => (await api.emailsWhenClockMoves(() => (now = new Date(iso)), to)).map((email) => email.subject);

/** The calendar day `days` after `day` (YYYY-MM-DD). */
const shiftDays = (day: string, days: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

type ConversationItem = { messageType: string; status: string; reason?: string };
const invitations = async (clientId: string): Promise<[string, string | undefined][]> =>
  ((await request('GET', `/clients/${clientId}/messages?limit=100`)).body.items as ConversationItem[])
    .filter((item) => item.messageType === 're_engagement')
    .map((item) => [item.status, item.reason]);
/** The visit's re-engagements as its upcoming and past messages list them: status, due time, reason. */
const upcoming = async (bookingId: string): Promise<[string, string | undefined, string | undefined][]> => {
  const response = await request('GET', `/bookings/${bookingId}/messages?limit=100`);
  expect(response.status).toBe(200);
  return (response.body.items as (ConversationItem & { dueAt?: string })[]).filter((item) => item.messageType === 're_engagement').map((item) => [item.status, item.dueAt, item.reason]);
};
const armedAt = async () => (await api.schedules()).map((schedule) => schedule.at);

describe('re-engagement', () => {
  it('is armed by a completed visit and sent four weeks after it ends, once, in the client’s language', async () => {
    const subjects = { en: "It's been a while", es: 'Hace tiempo que no te vemos', fr: 'Cela fait un moment', it: 'È passato un po’ di tempo' };
    const people = await Promise.all(Object.keys(subjects).map((language) => newClient(language)));
    for (const person of people) await visit(person.id, '2026-05-05');
    // Ends 10:45 on Tuesday 5 May in Madrid (08:45Z); four weeks on: 10:45 on Tuesday 2 June, 08:45Z.
    expect(await armedAt()).toContain('2026-06-02T08:45:00.000Z');

    for (const person of people) expect(await at('2026-06-02T08:44:59Z', person.email)).toEqual([]);
    const before = (await api.sentEmails()).length;
    now = new Date('2026-06-02T08:45:00Z');
    await api.fireDueSchedules();
    const sent = (await api.sentEmails()).slice(before);
    for (const [index, subject] of Object.values(subjects).entries()) {
      const email = people[index]!.email;
      expect(sent.filter((one) => one.destination.to.includes(email)).map((one) => one.subject.startsWith(subject)), email).toEqual([true]);
    }
    for (const person of people) {
      expect(await at('2026-06-09T08:45:00Z', person.email)).toEqual([]);
      expect(await invitations(person.id)).toEqual([['sent', undefined]]);
    }
  });

  it('is disarmed by a new booking: cancelled (booked_again) in the visit’s upcoming list, its schedule deleted, nothing sent at its time', async () => {
    const ana = await newClient();
    const last = await visit(ana.id, '2026-05-12');
    // 10:45 on 9 June in Madrid.
    expect(await upcoming(last.id)).toEqual([['scheduled', '2026-06-09T08:45:00.000Z', undefined]]);
    expect(await armedAt()).toContain('2026-06-09T08:45:00.000Z');
    now = new Date('2026-05-20T09:00:00Z');
    const next = await book(ana.id, '2026-06-25T10:00:00+02:00', '2026-06-25T10:45:00+02:00');
    expect(await upcoming(last.id)).toEqual([['cancelled', '2026-06-09T08:45:00.000Z', 'booked_again']]);
    expect(await armedAt()).not.toContain('2026-06-09T08:45:00.000Z');
    expect(await at('2026-06-09T08:45:00Z', ana.email)).toEqual([]);
    expect(await invitations(ana.id)).toEqual([['cancelled', 'booked_again']]);
    // The new booking's own messages are not re-engagements, and it has none armed yet (not completed).
    expect(await upcoming(next.id)).toEqual([]);
  });

  it('is disarmed by a new booking even if that booking is cancelled later: it is not armed again until the next visit', async () => {
    const ana = await newClient();
    await visit(ana.id, '2026-05-13');
    now = new Date('2026-05-20T09:00:00Z');
    const next = await book(ana.id, '2026-06-25T10:00:00+02:00', '2026-06-25T10:45:00+02:00');
    await act(next.id, 'cancel', { by: 'client' });
    expect(await at('2026-06-10T08:45:00Z', ana.email)).toEqual([]);
    expect(await invitations(ana.id)).toEqual([['cancelled', 'booked_again']]);
  });

  it('is not disarmed by a booking entered for a past date: that is history, not booking again', async () => {
    const ana = await newClient();
    await visit(ana.id, '2026-05-26');
    now = new Date('2026-05-27T09:00:00Z');
    await book(ana.id, '2026-04-07T10:00:00+02:00', '2026-04-07T10:45:00+02:00');
    expect(await armedAt()).toContain('2026-06-23T08:45:00.000Z');
    expect(await at('2026-06-23T08:45:00Z', ana.email)).toEqual([expect.stringMatching(/^It's been a while/)]);
  });

  it('is re-armed by a later visit: its booking disarms the earlier one, the later one is sent', async () => {
    const ana = await newClient();
    const first = await visit(ana.id, '2026-05-14');
    const second = await visit(ana.id, '2026-05-28');
    // The second visit's booking disarmed the first visit's invitation.
    expect(await armedAt()).toContain('2026-06-25T08:45:00.000Z');
    expect(await armedAt()).not.toContain('2026-06-11T08:45:00.000Z');
    expect(await at('2026-06-11T08:45:00Z', ana.email)).toEqual([]);
    expect(await at('2026-06-25T08:45:00Z', ana.email)).toHaveLength(1);
    const items = ((await request('GET', `/clients/${ana.id}/messages?limit=100`)).body.items as (ConversationItem & { entity: { id: string } })[]).filter((item) => item.messageType === 're_engagement');
    expect(items.map((item) => [item.entity.id, item.status, item.reason]).sort()).toEqual(
      [
        [first.id, 'cancelled', 'booked_again'],
        [second.id, 'sent', undefined],
      ].sort(),
    );
  });

  it('honours consent: a client who does not accept email gets none (no_consent)', async () => {
    const ana = await newClient('en', { email: false, sms: false });
    await visit(ana.id, '2026-05-19');
    expect(await at('2026-06-16T08:45:00Z', ana.email)).toEqual([]);
    expect(await invitations(ana.id)).toEqual([['not_sent', 'no_consent']]);
  });

  // One-click from the invitation's List-Unsubscribe link turns off re-engagement; the page's form can turn off all marketing.
  it.each([
    ['re-engagement, by one click', 'List-Unsubscribe=One-Click', '2026-07-01', '2026-08-05'],
    ['all marketing, on the page', 'scope=marketing', '2026-07-02', '2026-08-06'],
  ])('is not sent to a client who unsubscribed from %s (unsubscribed)', async (_what, form, firstDay, secondDay) => {
    const ana = await newClient();
    await visit(ana.id, firstDay);
    const before = (await api.sentEmails()).length;
    // Four weeks after 10:45 in Madrid (+02:00 all summer).
    now = new Date(`${shiftDays(firstDay, 28)}T08:45:00Z`);
    await api.fireDueSchedules();
    const [invitation] = (await api.sentEmails()).slice(before).filter((email) => email.destination.to.includes(ana.email));
    const url = /^<(https?:\/\/\S+)>$/.exec(invitation!.headers?.find((header) => header.name.toLowerCase() === 'list-unsubscribe')?.value ?? '')?.[1];
    expect(url?.startsWith(api.baseUrl)).toBe(true);
    expect((await request('POST', url!.slice(api.baseUrl.length), form, { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(200);

    await visit(ana.id, secondDay);
    expect(await at(`${shiftDays(secondDay, 28)}T08:45:00Z`, ana.email)).toEqual([]);
    expect(await invitations(ana.id)).toEqual(expect.arrayContaining([['sent', undefined], ['not_sent', 'unsubscribed']]));
    expect(await invitations(ana.id)).toHaveLength(2);
  });

  it('is armed only for completed visits: a confirmed booking that nobody completed arms none', async () => {
    const ana = await newClient();
    now = new Date('2026-05-20T06:00:00Z');
    await book(ana.id, '2026-05-21T10:00:00+02:00', '2026-05-21T10:45:00+02:00');
    expect(await at('2026-06-18T08:45:00Z', ana.email)).toEqual([]);
    expect(await invitations(ana.id)).toEqual([]);
  });
});
