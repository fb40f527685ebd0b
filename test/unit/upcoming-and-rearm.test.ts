import { describe, expect, it } from 'vitest';
import type { RecordImage } from '#domain/messages/events.ts';
import { defaultAutomatedMessages, timedSystemRules, type AutomatedMessagesInput } from '#domain/messages/rules.ts';
import { armTimed, checkAtFire, timedMessagesOf, type Place } from '#domain/messages/timed-messages.ts';
import { placeRearmJobs } from '#domain/messages/rearm.ts';
import { cancelReasonOf, scheduledMessagesOf, soonestFirst } from '#domain/messages/upcoming.ts';
import type { ConversationMessage } from '#domain/messages/conversation.ts';
import type { BusinessHours, Location } from '#domain/locations.ts';
import { defaultSettings, type Settings } from '#domain/settings.ts';

/** The pure parts of upcoming messages and re-arming; every expected instant is worked out by hand. */
const page = (changes: Partial<AutomatedMessagesInput>): AutomatedMessagesInput => ({ ...defaultAutomatedMessages, ...changes });
const interval = (open: string, close: string) => ({ open, close });
const weekOf = (days: Partial<BusinessHours>): BusinessHours => ({ mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [], ...days });
const nineToSeven = interval('09:00', '19:00');
const openWeekdays = weekOf({ mon: [nineToSeven], tue: [nineToSeven], wed: [nineToSeven], thu: [nineToSeven], fri: [nineToSeven] });
const madrid: Place = { timeZone: 'Europe/Madrid', businessHours: openWeekdays };
// Tuesday 14 April 2026 12:00 in Madrid (CEST, +02:00) is 10:00Z.
const booking = (changes: Record<string, unknown> = {}): RecordImage =>
  ({ id: 'B1', version: 1, clientId: 'C1', locationId: 'L1', status: 'confirmed', start: '2026-04-14T12:00:00+02:00', end: '2026-04-14T12:30:00+02:00', ...changes }) as RecordImage;
const twoHoursBefore = (businessHoursOnly: boolean) =>
  timedSystemRules(page({ bookingReminders: [{ before: { amount: 2, unit: 'hours' }, sms: false, businessHoursOnly }] }))[0]!;

describe('the check at fire time (checkAtFire)', () => {
  const rule = twoHoursBefore(true);
  // Armed in Madrid's hours: due 10:00 local, 08:00Z.
  const [armed] = timedMessagesOf('booking', booking(), [rule], () => madrid);
  const intent = { id: armed!.messageId, entity: { kind: 'booking' as const } };
  const fire = (place: Place, now: string, firing = rule) => checkAtFire(intent, firing, booking(), place, new Date(now));

  it('sends when the place is as it was armed', () => {
    expect(armed!.dueAt).toBe('2026-04-14T08:00:00.000Z');
    expect(fire(madrid, '2026-04-14T08:00:00Z')).toEqual({ go: true });
  });

  it('moves it to the next opening when the hours now start later (11:00 local, 09:00Z)', () => {
    const later = { ...madrid, businessHours: { ...openWeekdays, tue: [interval('11:00', '19:00')] } };
    expect(fire(later, '2026-04-14T08:00:00Z')).toEqual({ moveTo: '2026-04-14T09:00:00.000Z' });
  });

  it('sends an opening less than a minute away (a schedule firing a little early) instead of moving it', () => {
    const tenOClock = { ...madrid, businessHours: { ...openWeekdays, tue: [interval('10:00', '19:00')] } };
    expect(fire(tenOClock, '2026-04-14T07:59:30Z')).toEqual({ go: true });
  });

  it('skips it when the place is closed until after the appointment (closed all Tuesday)', () => {
    const closedTuesday = { ...madrid, businessHours: { ...openWeekdays, tue: [] } };
    expect(fire(closedTuesday, '2026-04-14T08:00:00Z')).toEqual({ skipped: 'outside_business_hours' });
  });

  it('skips it when the zone moved the hours away: 10:00 Madrid is 04:00 in New York, and it opens only after the appointment', () => {
    // Hours before are exact, so the zone does not move the instant; the hours it falls in move.
    expect(fire({ timeZone: 'America/New_York', businessHours: openWeekdays }, '2026-04-14T08:00:00Z')).toEqual({ skipped: 'outside_business_hours' });
  });

  it('does not send at the old instant when the zone moved it (New York → Madrid)', () => {
    const dayBefore = timedSystemRules(page({ bookingReminders: [{ before: { amount: 1, unit: 'days' }, sms: false, businessHoursOnly: false }] }))[0]!;
    // Sunday 29 March 08:00Z: 04:00 EDT in New York, the day before at 04:00 EDT is 28 March 08:00Z;
    // 10:00 CEST in Madrid, the day before at 10:00 is still CET: 28 March 09:00Z.
    const early = booking({ start: '2026-03-29T08:00:00Z', end: '2026-03-29T08:30:00Z' });
    const newYork: Place = { timeZone: 'America/New_York' };
    const [message] = timedMessagesOf('booking', early, [dayBefore], () => newYork);
    expect(message!.dueAt).toBe('2026-03-28T08:00:00.000Z');
    const check = (place: Place) => checkAtFire({ id: message!.messageId, entity: { kind: 'booking' } }, dayBefore, early, place, new Date('2026-03-28T08:00:00Z'));
    expect(check(newYork)).toEqual({ go: true });
    expect(check({ timeZone: 'Europe/Madrid' })).toHaveProperty('stale');
  });

  it('ignores the hours for a message not held to them', () => {
    const plain = twoHoursBefore(false);
    const [message] = timedMessagesOf('booking', booking(), [plain], () => madrid);
    const openOnlyWednesday = { ...madrid, businessHours: weekOf({ wed: [nineToSeven] }) };
    expect(checkAtFire({ id: message!.messageId, entity: { kind: 'booking' } }, plain, booking(), openOnlyWednesday, new Date('2026-04-14T08:00:00Z'))).toEqual({ go: true });
  });
});

describe('re-arming after a place edit (placeRearmJobs)', () => {
  const timed = [twoHoursBefore(true), ...timedSystemRules(page({ overdueInvoice: { mode: 'client', after: { amount: 3, unit: 'days' }, sms: false } })).filter((rule) => rule.entity === 'invoice')];
  const now = new Date('2026-04-01T09:00:00Z');
  const location = (version: number, changes: Partial<Location> = {}): Location => ({
    id: 'L1',
    version,
    createdAt: '2026-03-01T00:00:00.000Z',
    updatedAt: `2026-03-0${version}T00:00:00.000Z`,
    name: 'Centro',
    timeZone: 'Europe/Madrid',
    businessHours: openWeekdays,
    ...changes,
  });
  const settings = (version: number, timeZone: string): Settings => ({ ...defaultSettings, version, timeZone, updatedAt: '2026-03-05T00:00:00.000Z' }) as Settings;

  it('makes one first page per kind with timed rules when a location’s hours change, carrying both places', () => {
    const later = weekOf({ ...openWeekdays, tue: [interval('11:00', '19:00')] });
    const jobs = placeRearmJobs({ kind: 'location', previous: location(1), current: location(2, { businessHours: later }) }, timed, 'UTC', now);
    expect(jobs.map((job) => [job.id, job.entity, job.page, job.from, job.changedAt])).toEqual([
      ['location-L1.v2.booking.p1', 'booking', 1, '2026-04-01T09:00:00.000Z', '2026-03-02T00:00:00.000Z'],
      // Three days after a due date can still be ahead for a date up to 4 days back (a day of slack).
      ['location-L1.v2.invoice.p1', 'invoice', 1, '2026-03-28', '2026-03-02T00:00:00.000Z'],
    ]);
    expect(jobs[0]!.place).toEqual({ locationId: 'L1', before: { timeZone: 'Europe/Madrid', businessHours: openWeekdays }, after: { timeZone: 'Europe/Madrid', businessHours: later } });
    expect(jobs[0]!.before).toEqual([timed[0]]);
    expect(jobs[0]!.after).toEqual([timed[0]]);
  });

  it('makes none for a new location, a rename, or a replayed (not newer) version', () => {
    expect(placeRearmJobs({ kind: 'location', previous: undefined, current: location(1) }, timed, 'UTC', now)).toEqual([]);
    expect(placeRearmJobs({ kind: 'location', previous: location(1), current: location(2, { name: 'Centro 2' }) }, timed, 'UTC', now)).toEqual([]);
    expect(placeRearmJobs({ kind: 'location', previous: location(2), current: location(2, { timeZone: 'Asia/Tokyo' }) }, timed, 'UTC', now)).toEqual([]);
  });

  it('re-arms the records without a location when the business zone changes, counting a first save from the default zone', () => {
    const [booking, invoice] = placeRearmJobs({ kind: 'settings', previous: settings(1, 'Europe/Madrid'), current: settings(2, 'America/New_York') }, timed, 'UTC', now);
    expect(invoice!.id).toBe('business-zone.v2.invoice.p1');
    expect(invoice!.place).toEqual({ before: { timeZone: 'Europe/Madrid' }, after: { timeZone: 'America/New_York' } });
    expect(booking!.place).not.toHaveProperty('locationId');
    expect(placeRearmJobs({ kind: 'settings', previous: undefined, current: settings(1, 'UTC') }, timed, 'UTC', now)).toEqual([]);
    expect(placeRearmJobs({ kind: 'settings', previous: undefined, current: settings(1, 'Asia/Tokyo') }, timed, 'UTC', now).map((job) => job.place)).toEqual([
      { before: { timeZone: 'UTC' }, after: { timeZone: 'Asia/Tokyo' } },
      { before: { timeZone: 'UTC' }, after: { timeZone: 'Asia/Tokyo' } },
    ]);
  });
});

describe('why a record change disarmed a message (cancelReasonOf)', () => {
  const rule = twoHoursBefore(false);
  const [message] = timedMessagesOf('booking', booking(), [rule], () => madrid);

  it('names what the record did', () => {
    expect(cancelReasonOf(message!, booking(), undefined)).toBe('record_deleted');
    expect(cancelReasonOf(message!, booking(), booking({ version: 2, status: 'cancelled' }))).toBe('record_cancelled');
    expect(cancelReasonOf(message!, booking(), booking({ version: 2, start: '2026-04-15T12:00:00+02:00' }))).toBe('rescheduled');
    expect(cancelReasonOf(message!, booking(), booking({ version: 2, locationId: 'L2' }))).toBe('location_changed');
    // The record as it was: the rules changed, not the record.
    expect(cancelReasonOf(message!, booking(), booking())).toBe('rule_changed');
  });
});

describe('the scheduled messages of what is armed (scheduledMessagesOf)', () => {
  const rule = twoHoursBefore(false);
  const [message] = timedMessagesOf('booking', booking(), [rule], () => madrid);

  it('records a message armed for later as scheduled under its id, due when it goes', () => {
    const now = new Date('2026-04-01T09:00:00Z');
    const later = armTimed('acme', 'booking', booking(), message!, now, now);
    expect(scheduledMessagesOf([later], now)).toEqual([
      {
        id: message!.messageId,
        clientId: 'C1',
        direction: 'outbound',
        channel: 'email',
        messageType: 'booking_reminder',
        audience: 'client',
        ruleId: rule.id,
        entity: { kind: 'booking', id: 'B1' },
        status: 'scheduled',
        dueAt: '2026-04-14T08:00:00.000Z',
        attempts: 0,
        createdAt: '2026-04-01T09:00:00.000Z',
        updatedAt: '2026-04-01T09:00:00.000Z',
      },
    ]);
  });

  it('records nothing for what goes to delivery at once (due within seconds, or skipped)', () => {
    const dueNow = new Date('2026-04-14T07:59:58Z');
    expect(scheduledMessagesOf([armTimed('acme', 'booking', booking(), message!, dueNow, dueNow)], dueNow)).toEqual([]);
    const late = new Date('2026-04-14T09:00:00Z');
    expect(scheduledMessagesOf([armTimed('acme', 'booking', booking(), message!, late, late)], late)).toEqual([]);
  });
});

describe('the client card’s upcoming messages (soonestFirst)', () => {
  const message = (id: string, status: ConversationMessage['status'], dueAt?: string) => ({ id, status, ...(dueAt ? { dueAt } : {}) }) as ConversationMessage;

  it('keeps the scheduled ones, due soonest first (ties by id), at most the limit', () => {
    const found = [
      message('m-4', 'scheduled', '2030-05-01T08:00:00.000Z'),
      message('m-1', 'cancelled', '2030-03-01T08:00:00.000Z'),
      message('m-3', 'scheduled', '2030-04-01T08:00:00.000Z'),
      message('m-2', 'scheduled', '2030-04-01T08:00:00.000Z'),
      message('m-5', 'sent'),
      message('m-6', 'scheduled', '2030-06-01T08:00:00.000Z'),
    ];
    expect(soonestFirst(found, 3).map((item) => item.id)).toEqual(['m-2', 'm-3', 'm-4']);
    expect(soonestFirst(found, 10).map((item) => item.id)).toEqual(['m-2', 'm-3', 'm-4', 'm-6']);
  });
});
