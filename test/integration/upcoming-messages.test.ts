import type { Context, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type MessagingApi } from './local-stack.ts';
import { apiClient, sample, type Request } from './api-client.ts';

/**
 * Upcoming messages and re-arming on place edits, through the real local path on an injected
 * clock. Every expected instant is written by hand (worked out from the zones' offsets), never
 * computed with our own timing code.
 */
let api: MessagingApi;
let request: Request;
let now = new Date('2026-03-01T09:00:00Z');
const tenant = `upcoming-${Date.now()}`;
/** While set, location edits never reach the evaluator: as if their re-arming lost the race with the schedule. */
let holdLocationEdits = false;

beforeAll(async () => {
  api = await startApi({
    messaging: {
      clock: () => now,
      // The real evaluator, which is not shown location edits while `holdLocationEdits` is set.
      evaluator: async (event: DynamoDBStreamEvent, context: Context) => {
        const { handler } = await import('#lambdas/rule-evaluator.ts');
        const records = holdLocationEdits ? event.Records.filter((record) => record.dynamodb?.NewImage?.kind?.S !== 'location') : event.Records;
        return handler({ Records: records }, context);
      },
    },
  });
  request = apiClient(api, tenant);
  // The business zone is Madrid (sample settings).
  expect((await request('PUT', '/settings', sample.settings, { 'if-match': '"0"' })).status).toBe(200);
  const automated = { ...sample.automatedMessages, bookingConfirmation: { sms: false }, bookingReminders: [{ before: { amount: 1, unit: 'days' } }], followUp: { mode: 'manual', after: { amount: 2, unit: 'hours' } }, overdueInvoice: { mode: 'client', after: { amount: 3, unit: 'days' } }, estimateExpiry: { mode: 'client', before: { amount: 2, unit: 'days' } } };
  expect((await request('PUT', '/settings/automated-messages', automated, { 'if-match': '"0"' })).status).toBe(200);
  await api.settle();
});
afterAll(() => api?.close());

let clients = 0;
async function newClient(): Promise<{ id: string; email: string }> {
  const email = `client-${++clients}@upcoming.example`;
  const response = await request('POST', '/clients', { firstName: 'Ana', email, language: 'es', consent: { email: true, sms: false } });
  expect(response.status).toBe(201);
  return { id: response.body.id, email };
}

/** Moves the clock to `iso`, fires what is due, and counts the emails to `to` that went out meanwhile. */
const at = async (iso: string, to: string): Promise<number> => (await api.emailsWhenClockMoves(() => (now = new Date(iso)), to)).length;

type Item = { id: string; status: string; dueAt?: string; reason?: string; ruleId?: string; text?: string; messageType: string };
const messagesOf = async (path: string): Promise<Item[]> => {
  const response = await request('GET', `${path}/messages?limit=100`);
  expect(response.status).toBe(200);
  return response.body.items;
};
const upcoming = async (path: string, messageType: string) =>
  (await messagesOf(path)).filter((item) => item.messageType === messageType).map((item) => [item.status, item.dueAt, item.reason]);

/**
 * After a place edit: the message was cancelled at its old instant and scheduled at its new one,
 * nothing goes to `email` when the clock passes the old instant, and one email goes at the new one.
 */
async function expectMovedByPlaceEdit(path: string, messageType: string, email: string, due: { from: string; to: string }, clock: { old: string; new: string }) {
  expect(await upcoming(path, messageType)).toEqual([
    ['cancelled', due.from, 'place_changed'],
    ['scheduled', due.to, undefined],
  ]);
  expect(await at(clock.old, email)).toBe(0);
  expect(await at(clock.new, email)).toBe(1);
}

/**
 * A location open 09:00 to `close` on weekdays in Madrid, a rule "`hoursBefore` hours before, in
 * business hours" for it, and a client's booking there from `start` to `end`, on the clock of 1 April 2026.
 */
async function bookedWithBusinessHoursRule(name: string, start: string, end: string, { close = '18:00', hoursBefore = 2 } = {}) {
  now = new Date('2026-04-01T09:00:00Z');
  const openDay = { open: '09:00', close };
  const week = { mon: [openDay], tue: [openDay], wed: [openDay], thu: [openDay], fri: [openDay] };
  const location = (await request('POST', '/locations', { name, timeZone: 'Europe/Madrid', businessHours: week })).body;
  const rule = await request('POST', '/rules', {
    name: `${hoursBefore} h before, in business hours (${name})`,
    trigger: { entity: 'booking', on: 'before_schedule', offset: { amount: hoursBefore, unit: 'hours' } },
    audience: 'client',
    channel: 'email',
    template: 'booking_reminder',
    businessHoursOnly: true,
    locations: [location.id],
  });
  expect(rule.status).toBe(201);
  await api.settle();
  const ana = await newClient();
  const booking = (await request('POST', '/bookings', sample.booking(ana.id, location.id, start, end))).body;
  await api.settle();
  const mine = async () => (await messagesOf(`/bookings/${booking.id}`)).filter((item) => item.ruleId === rule.body.id);
  return { openDay, week, location, rule, ana, booking, mine };
}

describe('upcoming messages and re-arming on place edits', () => {
  it('moves a business-hours reminder when the hours shrink (09:00–18:00 → 11:00–18:00), and sends nothing at the old instant', async () => {
    // Tuesday 14 April 12:00 in Madrid (CEST, +02:00) is 10:00Z; two hours before: 10:00 local, 08:00Z, open.
    const { openDay: nineToSix, location, rule, ana, booking, mine } = await bookedWithBusinessHoursRule('Centro', '2026-04-14T12:00:00+02:00', '2026-04-14T12:30:00+02:00');
    expect((await mine()).map((item) => [item.status, item.dueAt])).toEqual([['scheduled', '2026-04-14T08:00:00.000Z']]);
    expect((await mine())[0]!.text).toContain('Ana');

    const hours = { mon: [{ open: '11:00', close: '18:00' }], tue: [{ open: '11:00', close: '18:00' }], wed: [nineToSix], thu: [nineToSix], fri: [nineToSix] };
    expect((await request('PATCH', `/locations/${location.id}`, { businessHours: hours }, { 'if-match': '"1"' })).status).toBe(200);
    await api.settle();
    // Now it opens at 11:00 local (09:00Z), still before the 12:00 appointment.
    expect((await mine()).map((item) => [item.status, item.dueAt])).toEqual([['scheduled', '2026-04-14T09:00:00.000Z']]);
    // The settings page's "1 day before" (13 April 12:00 local, 10:00Z) goes first, on its own.
    expect(await at('2026-04-13T10:00:00Z', ana.email)).toBe(1);
    expect(await at('2026-04-14T08:00:00Z', ana.email)).toBe(0);
    expect(await at('2026-04-14T09:00:00Z', ana.email)).toBe(1);
    expect((await mine()).map((item) => item.status)).toEqual(['sent']);
    expect((await request('DELETE', `/rules/${rule.body.id}`, undefined, { 'if-match': '"1"' })).status).toBe(204);
  });

  it('re-arms "1 day before" when the location moves from New York to Madrid, and sends nothing at the New York instant', async () => {
    now = new Date('2026-03-01T09:00:00Z');
    const location = (await request('POST', '/locations', { name: 'Brooklyn', timeZone: 'America/New_York' })).body;
    const ana = await newClient();
    // Sunday 29 March 08:00Z. In New York (EDT, -04:00 since 8 March) that is 04:00; the day before
    // at 04:00 EDT is 28 March 08:00Z. In Madrid it is 10:00 CEST (summer time from 29 March 02:00);
    // the day before at 10:00 is still CET (+01:00): 28 March 09:00Z.
    const booking = (await request('POST', '/bookings', sample.booking(ana.id, location.id, '2026-03-29T08:00:00Z', '2026-03-29T08:30:00Z'))).body;
    await api.settle();
    const path = `/bookings/${booking.id}`;
    expect(await upcoming(path, 'booking_reminder')).toEqual([['scheduled', '2026-03-28T08:00:00.000Z', undefined]]);

    expect((await request('PATCH', `/locations/${location.id}`, { timeZone: 'Europe/Madrid' }, { 'if-match': '"1"' })).status).toBe(200);
    await api.settle();
    await expectMovedByPlaceEdit(path, 'booking_reminder', ana.email, { from: '2026-03-28T08:00:00.000Z', to: '2026-03-28T09:00:00.000Z' }, { old: '2026-03-28T08:00:00Z', new: '2026-03-28T09:00:00Z' });
  });

  it('re-arms invoice reminders when the business zone changes (Madrid → New York), and sends nothing at the Madrid instant', async () => {
    now = new Date('2026-04-01T09:00:00Z');
    const ana = await newClient();
    const invoice = (await request('POST', '/invoices', { ...sample.invoice(ana.id), issueDate: '2026-04-01', dueDate: '2026-04-10' })).body;
    expect((await request('POST', `/invoices/${invoice.id}/issue`)).status).toBe(200);
    await api.settle();
    const path = `/invoices/${invoice.id}`;
    // Three days after 10 April, at 09:00: in Madrid (CEST, +02:00) 13 April 07:00Z.
    expect(await upcoming(path, 'invoice_overdue')).toEqual([['scheduled', '2026-04-13T07:00:00.000Z', undefined]]);

    const settings = (await request('GET', '/settings')).body;
    expect((await request('PUT', '/settings', { ...sample.settings, timeZone: 'America/New_York' }, { 'if-match': `"${settings.version}"` })).status).toBe(200);
    await api.settle();
    // 13 April 09:00 in New York (EDT, -04:00) is 13:00Z.
    await expectMovedByPlaceEdit(path, 'invoice_overdue', ana.email, { from: '2026-04-13T07:00:00.000Z', to: '2026-04-13T13:00:00.000Z' }, { old: '2026-04-13T07:00:00Z', new: '2026-04-13T13:00:00Z' });
  });

  it('moves a business-hours reminder off a day the location now closes (Tuesday 18:55 → Monday 19:59), and sends nothing on Tuesday', async () => {
    // Tuesday 21 April 19:55 in Madrid (CEST, +02:00) is 17:55Z; an hour before: 18:55 local, 16:55Z, open.
    const { openDay: nineToEight, location, rule, ana, mine } = await bookedWithBusinessHoursRule('Norte', '2026-04-21T19:55:00+02:00', '2026-04-21T20:25:00+02:00', { close: '20:00', hoursBefore: 1 });
    expect((await mine()).map((item) => [item.status, item.dueAt])).toEqual([['scheduled', '2026-04-21T16:55:00.000Z']]);

    const closedTuesday = { mon: [nineToEight], tue: [], wed: [nineToEight], thu: [nineToEight], fri: [nineToEight] };
    expect((await request('PATCH', `/locations/${location.id}`, { businessHours: closedTuesday }, { 'if-match': '"1"' })).status).toBe(200);
    await api.settle();
    // Closed all Tuesday: the next opening (Wednesday 09:00) is after the appointment, so it moves
    // back to the last open minute before 18:55 Tuesday: Monday 20 April 19:59 CEST, 17:59Z.
    expect((await mine()).map((item) => [item.status, item.dueAt])).toEqual([['scheduled', '2026-04-20T17:59:00.000Z']]);
    // The settings page's "1 day before" (Monday 19:55 local, 17:55Z) is not held to business hours.
    expect(await at('2026-04-20T17:55:00Z', ana.email)).toBe(1);
    expect(await at('2026-04-20T17:59:00Z', ana.email)).toBe(1);
    expect((await mine()).map((item) => item.status)).toEqual(['sent']);
    expect(await at('2026-04-21T16:55:00Z', ana.email)).toBe(0);
    expect(await at('2026-04-21T17:55:00Z', ana.email)).toBe(0);
    expect((await request('DELETE', `/rules/${rule.body.id}`, undefined, { 'if-match': '"1"' })).status).toBe(204);
  });

  it('re-arms estimate expiry reminders when the business zone changes (Madrid → Tokyo), and sends nothing at the Madrid instant', async () => {
    now = new Date('2026-04-01T09:00:00Z');
    const current = (await request('GET', '/settings')).body;
    expect((await request('PUT', '/settings', { ...sample.settings, timeZone: 'Europe/Madrid' }, { 'if-match': `"${current.version}"` })).status).toBe(200);
    await api.settle();
    const ana = await newClient();
    const estimate = (await request('POST', '/estimates', { ...sample.estimate(ana.id), expiresOn: '2026-04-30' })).body;
    expect((await request('POST', `/estimates/${estimate.id}/issue`)).status).toBe(200);
    await api.settle();
    const path = `/estimates/${estimate.id}`;
    // Two days before 30 April, at 09:00: in Madrid (CEST, +02:00) 28 April 07:00Z.
    expect(await upcoming(path, 'estimate_expiring')).toEqual([['scheduled', '2026-04-28T07:00:00.000Z', undefined]]);

    const settings = (await request('GET', '/settings')).body;
    expect((await request('PUT', '/settings', { ...sample.settings, timeZone: 'Asia/Tokyo' }, { 'if-match': `"${settings.version}"` })).status).toBe(200);
    await api.settle();
    // 28 April 09:00 in Tokyo (JST, +09:00, no summer time) is 00:00Z. (Listed in id order: sorted here.)
    expect((await upcoming(path, 'estimate_expiring')).sort()).toEqual([
      ['cancelled', '2026-04-28T07:00:00.000Z', 'place_changed'],
      ['scheduled', '2026-04-28T00:00:00.000Z', undefined],
    ]);
    expect(await at('2026-04-28T00:00:00Z', ana.email)).toBe(1);
    expect(await at('2026-04-28T07:00:00Z', ana.email)).toBe(0);
    expect((await upcoming(path, 'estimate_expiring')).map(([status]) => status).sort()).toEqual(['cancelled', 'sent']);
  });

  it('delivery moves a business-hours reminder to the next opening itself when the re-arm lost the race, and sends it then', async () => {
    // Tuesday 28 April 12:00 in Madrid (CEST, +02:00) is 10:00Z; two hours before: 10:00 local, 08:00Z, open.
    const { week, location, rule, ana, booking, mine } = await bookedWithBusinessHoursRule('Sur', '2026-04-28T12:00:00+02:00', '2026-04-28T12:30:00+02:00');
    expect((await mine()).map((item) => [item.status, item.dueAt])).toEqual([['scheduled', '2026-04-28T08:00:00.000Z']]);

    holdLocationEdits = true;
    try {
      const elevenToSix = { ...week, tue: [{ open: '11:00', close: '18:00' }] };
      expect((await request('PATCH', `/locations/${location.id}`, { businessHours: elevenToSix }, { 'if-match': '"1"' })).status).toBe(200);
      await api.settle();
    } finally {
      holdLocationEdits = false;
    }
    // The evaluator never saw the edit: still armed for 10:00 local.
    expect((await mine()).map((item) => [item.status, item.dueAt])).toEqual([['scheduled', '2026-04-28T08:00:00.000Z']]);
    // The settings page's "1 day before": Monday 27 April 12:00 local, 10:00Z.
    expect(await at('2026-04-27T10:00:00Z', ana.email)).toBe(1);
    // It fires at 10:00 local, now closed: delivery moves it to 11:00 local (09:00Z) instead of sending.
    expect(await at('2026-04-28T08:00:00Z', ana.email)).toBe(0);
    expect((await mine()).map((item) => [item.status, item.dueAt])).toEqual([['scheduled', '2026-04-28T09:00:00.000Z']]);
    expect(await at('2026-04-28T09:00:00Z', ana.email)).toBe(1);
    expect((await mine()).map((item) => item.status)).toEqual(['sent']);
    expect((await request('DELETE', `/rules/${rule.body.id}`, undefined, { 'if-match': '"1"' })).status).toBe(204);
  });
});
