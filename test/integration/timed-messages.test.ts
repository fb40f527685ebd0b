import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { startApi, type MessagingApi } from './local-stack.ts';
import { apiClient, sample, type Request } from './api-client.ts';
import type { MessageScheduler } from '#domain/messages/ports.ts';

/**
 * Timed messages through the real local path, on an injected clock: API → DynamoDB Local → stream
 * → evaluator → local scheduler (DynamoDB Local) → fired at the clock's time → delivery queue →
 * delivery → aws-ses-v2-local, and the conversation and notifications read back through the API.
 * Each test has clients of its own and counts only mail to them, so schedules other tests leave
 * behind may fire without blurring the counts.
 */
let api: MessagingApi;
let request: Request;
let now = new Date('2026-03-01T09:00:00Z');
/** Makes the evaluator's DeleteSchedule calls fail, as a throttled or failing Scheduler would. */
let failDisarm = false;

const tenant = `timed-${Date.now()}`;
let madrid: string;
let newYork: string;
const weekdays = { open: '09:00', close: '19:00' };
const openMonToFri = { mon: [weekdays], tue: [weekdays], wed: [weekdays], thu: [weekdays], fri: [weekdays] };

const automated = {
  ...sample.automatedMessages,
  bookingConfirmation: { sms: false },
  bookingReminders: [{ before: { amount: 1, unit: 'days' } }, { before: { amount: 2, unit: 'hours' } }],
  followUp: { mode: 'manual', after: { amount: 2, unit: 'hours' } },
  overdueInvoice: { mode: 'client', after: { amount: 3, unit: 'days' } },
};

beforeAll(async () => {
  api = await startApi({
    messaging: {
      clock: () => now,
      // The real evaluator, with a scheduler whose deletes fail while `failDisarm` is set.
      evaluator: async (event: DynamoDBStreamEvent) => {
        const { evaluateStream } = await import('#services/evaluate-stream.ts');
        const { evaluatorDeps } = await import('#wiring');
        const deps = evaluatorDeps();
        const scheduler: MessageScheduler = {
          arm: (schedules) => deps.scheduler.arm(schedules),
          disarm: (names) => (failDisarm ? Promise.reject(new Error('DeleteSchedule failed')) : deps.scheduler.disarm(names)),
        };
        return evaluateStream(event.Records, { ...deps, scheduler });
      },
    },
  });
  request = apiClient(api, tenant);
  expect((await request('PUT', '/settings', sample.settings, { 'if-match': '"0"' })).status).toBe(200);
  expect((await request('PUT', '/settings/automated-messages', automated, { 'if-match': '"0"' })).status).toBe(200);
  madrid = (await request('POST', '/locations', { name: 'Centro', timeZone: 'Europe/Madrid', businessHours: openMonToFri })).body.id;
  newYork = (await request('POST', '/locations', { name: 'Brooklyn', timeZone: 'America/New_York' })).body.id;
  await api.settle();
});
afterAll(() => api?.close());

let clients = 0;
async function newClient(consent = { email: true, sms: false }): Promise<{ id: string; email: string }> {
  const email = `client-${++clients}@timed.example`;
  const response = await request('POST', '/clients', { firstName: 'Ana', email, language: 'es', consent });
  expect(response.status).toBe(201);
  return { id: response.body.id, email };
}

async function book(clientId: string, start: string, end: string, location = madrid): Promise<{ id: string; version: number }> {
  const response = await request('POST', '/bookings', sample.booking(clientId, location, start, end));
  expect(response.status).toBe(201);
  await api.settle();
  return response.body;
}

/** Moves the clock to `iso`, fires what is due, and returns the emails to `to` that went out meanwhile. */
const at = async (iso: string, to: string): Promise<{ subject: string; text: string }[]> =>
  (await api.emailsWhenClockMoves(() => (now = new Date(iso)), to)).map((email) => ({ subject: email.subject, text: email.body.text ?? '' }));

type ConversationItem = { messageType: string; status: string; reason?: string; channel: string; dueAt?: string };
const conversation = async (clientId: string): Promise<ConversationItem[]> => (await request('GET', `/clients/${clientId}/messages?limit=100`)).body.items;
const reminders = async (clientId: string) => (await conversation(clientId)).filter((item) => item.messageType === 'booking_reminder');
const armedAt = async () => (await api.schedules()).map((schedule) => schedule.at);

describe('booking reminders', () => {
  it('sends both reminders at their offsets, each once, and the follow-up to the business with a notification', async () => {
    now = new Date('2026-04-01T09:00:00Z');
    const ana = await newClient();
    // Tuesday 14 April, 10:00 in Madrid (08:00Z): reminders at 08:00Z on the 13th and 06:00Z on the 14th.
    const booking = await book(ana.id, '2026-04-14T10:00:00+02:00', '2026-04-14T10:45:00+02:00');
    expect(await armedAt()).toEqual(expect.arrayContaining(['2026-04-13T08:00:00.000Z', '2026-04-14T06:00:00.000Z', '2026-04-14T10:45:00.000Z']));

    expect(await at('2026-04-13T07:59:59Z', ana.email)).toEqual([]);
    const dayBefore = await at('2026-04-13T08:00:00Z', ana.email);
    expect(dayBefore).toHaveLength(1);
    expect(dayBefore[0]!.text).toContain('10:00');
    expect(await at('2026-04-14T05:59:00Z', ana.email)).toEqual([]);
    expect(await at('2026-04-14T06:00:00Z', ana.email)).toHaveLength(1);
    expect(await at('2026-04-14T09:00:00Z', ana.email)).toEqual([]);
    expect((await reminders(ana.id)).map((item) => item.status)).toEqual(['sent', 'sent']);

    // Two hours after it ends: the business is told to follow up, by email and in its notifications.
    const followUp = await at('2026-04-14T10:45:00Z', sample.settings.contactEmail);
    expect(followUp).toHaveLength(1);
    const notifications = (await request('GET', '/notifications')).body.items as { messageType: string; link: string; read: boolean }[];
    expect(notifications).toEqual(expect.arrayContaining([expect.objectContaining({ messageType: 'booking_follow_up_due', link: `/bookings/${booking.id}`, read: false })]));
  });

  it('after a reschedule, sends only the reminders for the new time', async () => {
    now = new Date('2026-04-01T09:00:00Z');
    const ana = await newClient();
    const booking = await book(ana.id, '2026-04-21T10:00:00+02:00', '2026-04-21T10:30:00+02:00');
    const moved = await request('PATCH', `/bookings/${booking.id}`, { start: '2026-04-23T16:00:00+02:00', end: '2026-04-23T16:30:00+02:00' }, { 'if-match': `"${booking.version}"` });
    expect(moved.status).toBe(200);
    await api.settle();
    const armed = await armedAt();
    expect(armed).not.toContain('2026-04-20T08:00:00.000Z');
    expect(armed).toEqual(expect.arrayContaining(['2026-04-22T14:00:00.000Z', '2026-04-23T12:00:00.000Z']));

    expect(await at('2026-04-20T08:00:00Z', ana.email)).toEqual([]);
    expect(await at('2026-04-21T06:00:00Z', ana.email)).toEqual([]);
    const newTime = [...(await at('2026-04-22T14:00:00Z', ana.email)), ...(await at('2026-04-23T12:00:00Z', ana.email))];
    expect(newTime).toHaveLength(2);
    expect(newTime.every((email) => email.text.includes('16:00'))).toBe(true);
  });

  it('after a cancel, sends none, also when deleting the schedules failed: they fire and stay cancelled', async () => {
    now = new Date('2026-04-01T09:00:00Z');
    const ana = await newClient();
    const booking = await book(ana.id, '2026-04-28T10:00:00+02:00', '2026-04-28T10:30:00+02:00');
    failDisarm = true;
    try {
      expect((await request('POST', `/bookings/${booking.id}/cancel`, { by: 'client' })).status).toBe(200);
      await api.settle();
    } finally {
      failDisarm = false;
    }
    expect(await armedAt()).toEqual(expect.arrayContaining(['2026-04-27T08:00:00.000Z', '2026-04-28T06:00:00.000Z']));
    expect(await at('2026-04-27T08:00:00Z', ana.email)).toEqual([]);
    expect(await at('2026-04-28T06:00:00Z', ana.email)).toEqual([]);
    const recorded = await reminders(ana.id);
    expect(recorded.map((item) => [item.status, item.reason])).toEqual([
      ['cancelled', 'record_cancelled'],
      ['cancelled', 'record_cancelled'],
    ]);
  });

  it('records a reminder whose time had passed when the booking was made as skipped: too_late, and sends the one still ahead', async () => {
    now = new Date('2026-04-06T07:00:00Z');
    const ana = await newClient();
    // Made at 09:00 for 12:00 the same day: the day-before reminder is already late; the 2-hour one is not.
    await book(ana.id, '2026-04-06T12:00:00+02:00', '2026-04-06T12:30:00+02:00');
    expect((await reminders(ana.id)).map((item) => [item.status, item.reason, item.dueAt])).toEqual(
      expect.arrayContaining([
        ['not_sent', 'skipped: too_late', undefined],
        ['scheduled', undefined, '2026-04-06T08:00:00.000Z'],
      ]),
    );
    expect(await at('2026-04-06T08:00:00Z', ana.email)).toHaveLength(1);
  });

  it('fires "1 day before" at the same local time the day before, across the DST switch, in Madrid and New York', async () => {
    now = new Date('2026-03-01T09:00:00Z');
    const ana = await newClient();
    const bob = await newClient();
    // Summer time starts on 29 March in Madrid and on 8 March in New York.
    await book(ana.id, '2026-03-29T09:00:00+02:00', '2026-03-29T09:30:00+02:00');
    await book(bob.id, '2026-03-08T09:00:00-04:00', '2026-03-08T09:30:00-04:00', newYork);
    expect(await armedAt()).toEqual(expect.arrayContaining(['2026-03-28T08:00:00.000Z', '2026-03-07T14:00:00.000Z']));
    expect(await at('2026-03-07T13:59:00Z', bob.email)).toEqual([]);
    expect(await at('2026-03-07T14:00:00Z', bob.email)).toHaveLength(1);
    expect(await at('2026-03-28T07:59:00Z', ana.email)).toEqual([]);
    expect(await at('2026-03-28T08:00:00Z', ana.email)).toHaveLength(1);
  });

  it('sends once when a schedule fires twice', async () => {
    now = new Date('2026-04-01T09:00:00Z');
    const ana = await newClient();
    await book(ana.id, '2026-05-12T10:00:00+02:00', '2026-05-12T10:30:00+02:00');
    const schedule = (await api.schedules()).find((candidate) => candidate.at === '2026-05-11T08:00:00.000Z' && candidate.body.includes(ana.id));
    expect(schedule).toBeDefined();
    expect(await at('2026-05-11T08:00:00Z', ana.email)).toHaveLength(1);
    // The same payload again, as a second firing would bring it.
    const { evaluatorDeps } = await import('#wiring');
    await evaluatorDeps().queue.enqueue([{ id: schedule!.name, body: schedule!.body }]);
    await api.settle();
    expect(await at('2026-05-11T08:00:01Z', ana.email)).toEqual([]);
    // The day-before one sent once; the 2-hour one still to come.
    expect((await reminders(ana.id)).map((item) => item.status).sort()).toEqual(['scheduled', 'sent']);
  });
});

describe('order reminders', () => {
  it('reminds of a work order an hour before its time by a custom rule, and again for its new time', async () => {
    now = new Date('2026-04-01T09:00:00Z');
    const ana = await newClient();
    const rule = await request('POST', '/rules', {
      name: 'An hour before the visit',
      trigger: { entity: 'order', on: 'before_schedule', offset: { amount: 1, unit: 'hours' } },
      audience: 'client',
      channel: 'email',
      template: 'order_reminder',
    });
    expect(rule.status).toBe(201);
    const order = (await request('POST', '/orders', { clientId: ana.id, locationId: madrid, title: 'Fix the boiler', scheduledAt: '2026-04-09T16:00:00+02:00' })).body;
    await api.settle();
    expect(await armedAt()).toContain('2026-04-09T13:00:00.000Z');
    expect((await request('PATCH', `/orders/${order.id}`, { scheduledAt: '2026-04-10T16:00:00+02:00', status: 'In progress' }, { 'if-match': '"1"' })).status).toBe(200);
    await api.settle();
    expect(await at('2026-04-09T13:00:00Z', ana.email)).toEqual([]);
    const reminded = await at('2026-04-10T13:00:00Z', ana.email);
    expect(reminded).toHaveLength(1);
    expect(reminded[0]!.text).toContain('16:00');
    expect((await request('DELETE', `/rules/${rule.body.id}`, undefined, { 'if-match': '"1"' })).status).toBe(204);
  });
});

describe('business hours', () => {
  it('moves a message marked "only during business hours" to the next opening', async () => {
    const ana = await newClient();
    const rule = await request('POST', '/rules', {
      name: 'Welcome, in opening hours',
      trigger: { entity: 'booking', on: 'created' },
      audience: 'client',
      channel: 'email',
      template: 'booking_confirmation',
      businessHoursOnly: true,
      locations: [madrid],
    });
    expect(rule.status).toBe(201);
    await api.settle();
    // Saturday 18 April, 22:00 in Madrid: closed until Monday 09:00 (07:00Z).
    now = new Date('2026-04-18T20:00:00Z');
    const before = (await api.sentEmails()).length;
    await book(ana.id, '2026-06-02T10:00:00+02:00', '2026-06-02T10:30:00+02:00');
    // The settings page's confirmation goes at once; the rule's waits for the opening.
    expect((await api.sentEmails()).slice(before).filter((email) => email.destination.to.includes(ana.email))).toHaveLength(1);
    expect(await armedAt()).toContain('2026-04-20T07:00:00.000Z');
    expect(await at('2026-04-20T06:59:00Z', ana.email)).toEqual([]);
    expect(await at('2026-04-20T07:00:00Z', ana.email)).toHaveLength(1);
    expect((await request('DELETE', `/rules/${rule.body.id}`, undefined, { 'if-match': '"1"' })).status).toBe(204);
  });
});

describe('payment reminders', () => {
  async function issuedInvoice(clientId: string, dueDate: string): Promise<string> {
    const invoice = (await request('POST', '/invoices', { ...sample.invoice(clientId), issueDate: '2026-04-01', dueDate })).body;
    expect((await request('POST', `/invoices/${invoice.id}/issue`)).status).toBe(200);
    await api.settle();
    return invoice.id;
  }

  it('reminds the client three days after the due date, at 09:00 in the business’s zone, unless paid before', async () => {
    now = new Date('2026-04-01T09:00:00Z');
    const ana = await newClient();
    const bob = await newClient();
    await issuedInvoice(ana.id, '2026-04-10');
    const paid = await issuedInvoice(bob.id, '2026-04-10');
    expect((await request('POST', `/invoices/${paid}/pay`)).status).toBe(200);
    await api.settle();
    // 13 April 09:00 in Madrid is 07:00Z.
    expect(await at('2026-04-13T06:59:00Z', ana.email)).toEqual([]);
    const overdue = await at('2026-04-13T07:00:00Z', ana.email);
    expect(overdue).toHaveLength(1);
    expect((await conversation(bob.id)).filter((item) => item.messageType === 'invoice_overdue').map((item) => [item.status, item.reason])).toEqual([['cancelled', 'record_paid']]);
    expect(await at('2026-04-13T07:00:01Z', bob.email)).toEqual([]);
  });
});

describe('re-arming', () => {
  it('arms a reminder added to the settings page for bookings already made', async () => {
    now = new Date('2026-04-01T09:00:00Z');
    const ana = await newClient();
    await book(ana.id, '2026-06-16T10:00:00+02:00', '2026-06-16T10:30:00+02:00');
    expect(await armedAt()).not.toContain('2026-06-13T08:00:00.000Z');
    const current = (await request('GET', '/settings/automated-messages')).body;
    const { version, updatedAt: _updatedAt, ...page } = current;
    const withThird = { ...page, bookingReminders: [page.bookingReminders[0], { before: { amount: 3, unit: 'days' } }] };
    expect((await request('PUT', '/settings/automated-messages', withThird, { 'if-match': `"${version}"` })).status).toBe(200);
    await api.settle();
    expect(await armedAt()).toContain('2026-06-13T08:00:00.000Z');
    expect(await at('2026-06-13T08:00:00Z', ana.email)).toHaveLength(1);
    expect(await at('2026-06-15T08:00:00Z', ana.email)).toHaveLength(1);
    // The 2-hour reminder it replaced was disarmed.
    expect(await at('2026-06-16T06:00:00Z', ana.email)).toEqual([]);
    const restored = (await request('GET', '/settings/automated-messages')).body;
    expect((await request('PUT', '/settings/automated-messages', automated, { 'if-match': `"${restored.version}"` })).status).toBe(200);
    await api.settle();
  });
});

describe('cost', () => {
  it('counts the AWS calls of a booking with two reminders and a follow-up, from creation through one reschedule to completion', async () => {
    const { appDeps, evaluatorDeps, deliveryDeps, messageScheduler } = await import('#wiring');
    // The API's store (on the tenant-scoped client) and the message path's (evaluator and delivery share one).
    const stores = [appDeps().store, evaluatorDeps().store];
    const { messageLog } = await import('#wiring/core.ts');
    const logs = [appDeps().messages, messageLog()];
    expect(deliveryDeps().store).toBe(evaluatorDeps().store);
    const scheduler = messageScheduler();
    // One port call is one AWS call (a BatchGetItem is one call unless DynamoDB leaves keys unprocessed), except
    // that arm and disarm make one CreateSchedule or DeleteSchedule per schedule, and enqueue one SendMessageBatch per 10.
    const spies = {
      GetItem: stores.map((store) => vi.spyOn(store, 'get')),
      BatchGetItem: stores.map((store) => vi.spyOn(store, 'getMany')),
      'PutItem/TransactWriteItems': stores.map((store) => vi.spyOn(store, 'put')),
      Query: stores.map((store) => vi.spyOn(store, 'list')),
      'Query (rules)': [vi.spyOn(evaluatorDeps(), 'loadRules')],
      'PutItem (claim message)': logs.map((log) => vi.spyOn(log, 'claim')),
      'UpdateItem (message)': logs.map((log) => vi.spyOn(log, 'transition')),
      SendEmail: [vi.spyOn(deliveryDeps().email, 'send')],
      // The evaluator's queue: the schedule runner's firing, EventBridge Scheduler's own send in AWS, is not ours.
      SendMessageBatch: [vi.spyOn(evaluatorDeps().queue, 'enqueue')],
    };
    const arm = vi.spyOn(scheduler, 'arm');
    const disarm = vi.spyOn(scheduler, 'disarm');
    const counted = () => {
      const counts: Record<string, number> = Object.fromEntries(Object.entries(spies).map(([name, spied]) => [name, spied.reduce((sum, spy) => sum + spy.mock.calls.length, 0)]));
      counts.CreateSchedule = arm.mock.calls.reduce((sum, [schedules]) => sum + schedules.length, 0);
      counts.DeleteSchedule = disarm.mock.calls.reduce((sum, [names]) => sum + names.length, 0);
      for (const spy of [...Object.values(spies).flat(), arm, disarm]) spy.mockClear();
      return Object.fromEntries(Object.entries(counts).filter(([, count]) => count > 0));
    };
    try {
      // What earlier tests left armed fires now, before counting starts.
      await at('2026-07-01T09:00:00Z', 'nobody@timed.example');
      const ana = await newClient();
      counted();
      const booking = await book(ana.id, '2026-07-14T10:00:00+02:00', '2026-07-14T10:45:00+02:00');
      const created = counted();
      const moved = await request('PATCH', `/bookings/${booking.id}`, { start: '2026-07-15T10:00:00+02:00', end: '2026-07-15T10:45:00+02:00' }, { 'if-match': '"1"' });
      expect(moved.status).toBe(200);
      await api.settle();
      const rescheduled = counted();
      await at('2026-07-14T08:00:00Z', ana.email);
      await at('2026-07-15T06:00:00Z', ana.email);
      const reminded = counted();
      now = new Date('2026-07-15T09:00:00Z');
      expect((await request('POST', `/bookings/${booking.id}/complete`)).status).toBe(200);
      await api.settle();
      const completed = counted();
      await at('2026-07-15T10:45:00Z', sample.settings.contactEmail);
      const followedUp = counted();

      const total = (phase: Record<string, number>) => Object.values(phase).reduce((sum, count) => sum + count, 0);
      const phases = { created, rescheduled, reminded, completed, followedUp };
      console.log(JSON.stringify({ phases, totals: Object.fromEntries(Object.entries(phases).map(([name, phase]) => [name, total(phase)])) }, null, 1));
      // Creation: the API reads settings and writes in one transaction; the evaluator reads rules and places,
      // queues the confirmation and arms 3 schedules; delivery reads, claims, sends and records.
      expect(created).toEqual({ GetItem: 1, 'PutItem/TransactWriteItems': 1, 'Query (rules)': 1, BatchGetItem: 2, SendMessageBatch: 1, CreateSchedule: 3, 'PutItem (claim message)': 1, SendEmail: 1, 'UpdateItem (message)': 1 });
      expect(rescheduled).toMatchObject({ CreateSchedule: 3, DeleteSchedule: 3, SendEmail: 1 });
      expect(reminded).toEqual({ BatchGetItem: 2, 'PutItem (claim message)': 2, SendEmail: 2, 'UpdateItem (message)': 2 });
      // Completion sends nothing and touches no schedule: the reminders have fired, the follow-up still holds.
      expect(completed).not.toHaveProperty('CreateSchedule');
      expect(completed).not.toHaveProperty('DeleteSchedule');
      expect(completed).not.toHaveProperty('SendEmail');
      expect(followedUp).toMatchObject({ SendEmail: 1, 'PutItem/TransactWriteItems': 1 });
    } finally {
      vi.restoreAllMocks();
    }
  });
});
