import { describe, expect, it } from 'vitest';
import type { RecordImage } from '#domain/messages/events.ts';
import { CustomRuleInput, customTimedRule, defaultAutomatedMessages, timedSystemRules, type AutomatedMessagesInput, type CustomRule } from '#domain/messages/rules.ts';
import { armTimed, timedMessagesOf, timedPlan, type PlaceOf } from '#domain/messages/timed-messages.ts';
import { rearmJobs, type RulesEdit } from '#domain/messages/rearm.ts';
import type { RecordOf } from '#domain/record-kinds.ts';

const hours = { open: '09:00', close: '19:00' };
const madrid: PlaceOf = (locationId) =>
  locationId === 'L1' ? { timeZone: 'Europe/Madrid', businessHours: { mon: [hours], tue: [hours], wed: [hours], thu: [hours], fri: [hours], sat: [], sun: [] } } : { timeZone: 'Europe/Madrid' };
const page = (changes: Partial<AutomatedMessagesInput>): AutomatedMessagesInput => ({ ...defaultAutomatedMessages, ...changes });
const days = (amount: number) => ({ amount, unit: 'days' as const });
const booking = (changes: Record<string, unknown> = {}): RecordImage =>
  ({ id: 'B1', version: 1, clientId: 'C1', locationId: 'L1', status: 'confirmed', start: '2026-04-14T10:00:00+02:00', end: '2026-04-14T10:45:00+02:00', ...changes }) as RecordImage;
const reminders = timedSystemRules(page({ bookingReminders: [{ before: days(1), sms: true, businessHoursOnly: false }, { before: { amount: 2, unit: 'hours' }, sms: false, businessHoursOnly: false }] }));

describe('timed messages of a record', () => {
  it('gives a confirmed booking its reminders by email and SMS, due in the location’s zone', () => {
    const messages = timedMessagesOf('booking', booking(), reminders, madrid);
    expect(messages.map((message) => [message.rule.id, message.dueAt, message.notAfter])).toEqual([
      ['system.booking_reminder.1.email', '2026-04-13T08:00:00.000Z', '2026-04-14T08:00:00.000Z'],
      ['system.booking_reminder.1.sms', '2026-04-13T08:00:00.000Z', '2026-04-14T08:00:00.000Z'],
      ['system.booking_reminder.2.email', '2026-04-14T06:00:00.000Z', '2026-04-14T08:00:00.000Z'],
    ]);
    expect(timedMessagesOf('booking', booking({ status: 'pending' }), reminders, madrid)).toEqual([]);
    expect(timedMessagesOf('booking', undefined, reminders, madrid)).toEqual([]);
  });

  it('arms the new time and disarms the old one on a reschedule, and nothing on an unrelated edit', () => {
    const before = timedMessagesOf('booking', booking(), reminders, madrid);
    const moved = timedPlan(before, timedMessagesOf('booking', booking({ version: 2, start: '2026-04-15T10:00:00+02:00' }), reminders, madrid));
    expect(moved.arm.map((message) => message.dueAt)).toEqual(['2026-04-14T08:00:00.000Z', '2026-04-14T08:00:00.000Z', '2026-04-15T06:00:00.000Z']);
    expect(moved.disarm).toEqual(before);
    expect(timedPlan(before, timedMessagesOf('booking', booking({ version: 2, service: 'Tinte' }), reminders, madrid))).toEqual({ arm: [], disarm: [] });
    expect(timedPlan(before, timedMessagesOf('booking', booking({ status: 'cancelled' }), reminders, madrid)).disarm).toHaveLength(3);
  });

  it('reads due and expiry dates at 09:00 in the business’s zone, for the client or the business', () => {
    const rules = timedSystemRules(page({ overdueInvoice: { mode: 'client', after: days(3), sms: false }, estimateExpiry: { mode: 'business', before: days(2), sms: true } }));
    const invoice = { id: 'I1', version: 2, clientId: 'C1', status: 'issued', dueDate: '2026-04-10' } as unknown as RecordImage;
    const estimate = { id: 'E1', version: 2, clientId: 'C1', status: 'issued', expiresOn: '2026-11-02' } as unknown as RecordImage;
    expect(timedMessagesOf('invoice', invoice, rules, madrid).map((message) => [message.rule.template, message.dueAt])).toEqual([['invoice_overdue', '2026-04-13T07:00:00.000Z']]);
    expect(timedMessagesOf('invoice', { ...invoice, status: 'paid' }, rules, madrid)).toEqual([]);
    // The business hears by email only; 31 October 09:00 is after the clocks went back (CET).
    expect(timedMessagesOf('estimate', estimate, rules, madrid).map((message) => [message.rule.template, message.rule.channel, message.dueAt])).toEqual([['estimate_expiring_business', 'email', '2026-10-31T08:00:00.000Z']]);
  });

  it('gives an order a custom rule’s reminder in any status, and a follow-up to a completed booking', () => {
    const custom = { ...CustomRuleInput.parse({ name: 'Hour before', trigger: { entity: 'order', on: 'before_schedule', offset: { amount: 1, unit: 'hours' } }, audience: 'client', channel: 'sms', template: 'order_reminder' }), id: 'R1', version: 1, createdAt: '', updatedAt: '' } as CustomRule;
    const order = { id: 'O1', version: 1, clientId: 'C1', locationId: 'L1', status: 'In progress', scheduledAt: '2026-04-14T16:00:00Z' } as unknown as RecordImage;
    expect(timedMessagesOf('order', order, [customTimedRule(custom)!], madrid).map((message) => message.dueAt)).toEqual(['2026-04-14T15:00:00.000Z']);
    expect(customTimedRule({ ...custom, enabled: false })).toBeUndefined();
    const followUp = timedSystemRules(page({ followUp: { mode: 'automatic', after: { amount: 2, unit: 'hours' }, sms: false, businessHoursOnly: false } }));
    expect(timedMessagesOf('booking', booking({ status: 'completed' }), followUp, madrid).map((message) => message.dueAt)).toEqual(['2026-04-14T10:45:00.000Z']);
  });
});

describe('arming', () => {
  const [dayBefore] = timedMessagesOf('booking', booking(), reminders, madrid);
  const arm = (armedAt: string, now = armedAt, message = dayBefore!) => armTimed('acme', 'booking', booking(), message, new Date(armedAt), new Date(now));

  it('schedules a message still ahead, at its time, under a name of its own', () => {
    const armed = arm('2026-04-01T09:00:00Z');
    expect(armed.at).toBe('2026-04-13T08:00:00.000Z');
    expect(armed.name).toMatch(/^m-[\w-]{43}$/);
    expect(armed.request.timed).toMatchObject({ anchor: { attribute: 'start', value: '2026-04-14T10:00:00+02:00' }, holdsWhile: ['confirmed'], timing: 'before.start.1d' });
    expect(arm('2026-04-01T10:00:00Z').name).toBe(armed.name);
  });

  it('skips one whose time had passed when the booking was made, unless within its grace; and never after the appointment', () => {
    expect(arm('2026-04-13T08:30:00Z').request.timed?.skipped).toBe('too_late');
    const lenient = { ...dayBefore!, rule: { ...dayBefore!.rule, sendLateWithin: { amount: 1, unit: 'hours' as const } } };
    const late = arm('2026-04-13T08:30:00Z', '2026-04-13T08:30:00Z', lenient);
    expect([late.at, late.request.timed?.skipped]).toEqual([undefined, undefined]);
    expect(arm('2026-04-14T08:30:00Z', '2026-04-14T08:30:00Z', lenient).request.timed?.skipped).toBe('too_late');
    // Armed in time, delayed on its way to us: it goes now.
    const delayed = arm('2026-04-13T07:59:59Z', '2026-04-13T08:00:03Z');
    expect([delayed.at, delayed.request.timed?.skipped]).toEqual([undefined, undefined]);
  });

  it('moves a business-hours reminder to the opening, or earlier when the opening is past the appointment', () => {
    const rules = timedSystemRules(page({ bookingReminders: [{ before: { amount: 12, unit: 'hours' }, sms: false, businessHoursOnly: true }] }));
    // 12 hours before Tuesday 10:00 is Monday 22:00, closed; Tuesday's opening at 09:00 comes before the appointment.
    expect(timedMessagesOf('booking', booking(), rules, madrid)[0]!.sendAt).toBe('2026-04-14T07:00:00.000Z');
    // Before Tuesday 08:30 the next opening (09:00) would be too late: the last open minute on Monday instead.
    const early = timedMessagesOf('booking', booking({ start: '2026-04-14T08:30:00+02:00' }), rules, madrid)[0]!;
    expect(early.sendAt).toBe('2026-04-13T16:59:00.000Z');
  });
});

describe('re-arming after an edit of the rules', () => {
  const stored = (version: number, changes: Partial<AutomatedMessagesInput>): RecordOf<'ruleSettings'> => ({
    ...page(changes),
    id: 'current',
    version,
    createdAt: '2026-03-01T00:00:00.000Z',
    updatedAt: '2026-03-01T00:00:00.000Z',
  });
  /** An edit of the settings page, from `previous` to `current`. */
  const edit = (previous: RecordOf<'ruleSettings'>, current: RecordOf<'ruleSettings'>): RulesEdit => ({ kind: 'ruleSettings', previous, current });
  const now = new Date('2026-04-01T09:00:00Z');

  it('makes a job per kind whose timed rules changed, carrying only the changed rules', () => {
    const before = stored(1, { bookingReminders: [{ before: days(1), sms: false, businessHoursOnly: false }] });
    const after = stored(2, { bookingReminders: [{ before: days(1), sms: false, businessHoursOnly: false }, { before: days(3), sms: false, businessHoursOnly: false }] });
    const [job, ...rest] = rearmJobs(edit(before, after), now);
    expect(rest).toEqual([]);
    expect(job).toMatchObject({ id: 'current.v2.booking.p1', entity: 'booking', from: '2026-04-01T09:00:00.000Z', before: [], after: [{ id: 'system.booking_reminder.2.email' }] });
    expect(rearmJobs(edit(before, { ...before, version: 2, bookingStatus: defaultAutomatedMessages.bookingStatus }), now)).toEqual([]);
    expect(rearmJobs(edit(after, before), now)).toEqual([]);
  });

  it('looks back far enough for messages after a date that has passed', () => {
    const [job] = rearmJobs(edit(stored(1, {}), stored(2, { overdueInvoice: { mode: 'client', after: days(7), sms: false } })), now);
    expect(job).toMatchObject({ entity: 'invoice', from: '2026-03-24' });
  });
});

describe('timed custom rules', () => {
  const base = { name: 'Reminder', trigger: { entity: 'booking', on: 'before_schedule', offset: { amount: 30, unit: 'minutes' } }, audience: 'client', channel: 'sms', template: 'booking_reminder' };
  const issues = (rule: object) => CustomRuleInput.safeParse(rule).error?.issues.map((issue) => [issue.path.join('.'), issue.message]);

  it('takes an offset before the schedule, or a delay after an event, and says which field is wrong otherwise', () => {
    expect(issues(base)).toBeUndefined();
    expect(issues({ ...base, trigger: { entity: 'order', on: 'created' }, template: 'order_created', delay: { amount: 2, unit: 'hours' } })).toBeUndefined();
    expect(issues({ ...base, trigger: { entity: 'booking', on: 'before_schedule' } })).toEqual([['trigger.offset', 'is required with before_schedule']]);
    expect(issues({ ...base, delay: { amount: 1, unit: 'hours' } })).toEqual([['delay', 'does not go with before_schedule: the offset says when']]);
    expect(issues({ ...base, trigger: { entity: 'booking', on: 'created', offset: { amount: 1, unit: 'days' } }, template: 'booking_confirmation' })).toEqual([['trigger.offset', 'only goes with before_schedule']]);
    expect(issues({ ...base, trigger: { entity: 'lead', on: 'before_schedule', offset: { amount: 1, unit: 'days' } }, template: 'lead_created' })).toEqual([['trigger.on', 'leads have no schedule']]);
    expect(issues({ ...base, trigger: { entity: 'booking', on: 'before_schedule', offset: { amount: 400, unit: 'days' } } })?.[0]?.[0]).toBe('trigger.offset.amount');
  });
});

describe('re-engagement', () => {
  const weeks = (amount: number) => ({ amount, unit: 'weeks' as const });
  const reEngagement = (changes: Partial<AutomatedMessagesInput['reEngagement']> = {}) => timedSystemRules(page({ reEngagement: { mode: 'client', after: weeks(6), sms: false, businessHoursOnly: false, ...changes } }));

  it('is off on a page left at its defaults', () => {
    expect(defaultAutomatedMessages.reEngagement).toMatchObject({ mode: 'none', after: weeks(6) });
    expect(timedSystemRules(defaultAutomatedMessages).filter((rule) => rule.template === 're_engagement')).toEqual([]);
  });

  it('is called for by a completed visit, N weeks after it ends at the same local time, by email and SMS if on', () => {
    const visit = booking({ status: 'completed' });
    // Ends 10:45 CEST on Tuesday 14 April 2026; six weeks on, 10:45 CEST on Tuesday 26 May: 08:45Z.
    expect(timedMessagesOf('booking', visit, reEngagement({ sms: true }), madrid).map((message) => [message.rule.id, message.dueAt, message.notAfter])).toEqual([
      ['system.re_engagement.email', '2026-05-26T08:45:00.000Z', undefined],
      ['system.re_engagement.sms', '2026-05-26T08:45:00.000Z', undefined],
    ]);
    // Autumn: ends 10:45 CEST on Tuesday 13 October; four weeks on is after the switch, 10:45 CET: 09:45Z.
    expect(timedMessagesOf('booking', booking({ status: 'completed', end: '2026-10-13T10:45:00+02:00' }), reEngagement({ after: weeks(4) }), madrid)[0]!.dueAt).toBe('2026-11-10T09:45:00.000Z');
  });

  it('is armed when the visit is completed, and is the same message (once per visit) whatever is edited after', () => {
    const rules = reEngagement();
    const completed = timedPlan(timedMessagesOf('booking', booking(), rules, madrid), timedMessagesOf('booking', booking({ version: 2, status: 'completed' }), rules, madrid));
    expect(completed.arm.map((message) => message.rule.template)).toEqual(['re_engagement']);
    expect(timedPlan(timedMessagesOf('booking', booking({ version: 2, status: 'completed' }), rules, madrid), timedMessagesOf('booking', booking({ version: 3, status: 'completed', notes: 'loved it' }), rules, madrid))).toEqual({ arm: [], disarm: [] });
    for (const status of ['confirmed', 'pending', 'cancelled', 'no_show']) expect(timedMessagesOf('booking', booking({ status }), rules, madrid), status).toEqual([]);
  });
});
