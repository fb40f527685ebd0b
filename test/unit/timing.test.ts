import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { BusinessHours } from '#domain/locations.ts';
import { DATE_ANCHOR_TIME, dateAnchor, formatOffset, Offset, offsetMs, shiftInstant } from '#domain/messages/timing.ts';
import { hasHours, isOpen, lastOpenMinuteBefore, nextOpening, withinBusinessHours } from '#domain/business-hours.ts';

const MADRID = 'Europe/Madrid';
const NEW_YORK = 'America/New_York';
const day = { amount: 1, unit: 'days' } as const;

const at = (iso: string): Date => new Date(iso);
const utc = (date: Date | undefined): string | undefined => date?.toISOString();
const hours = (days: Record<string, { open: string; close: string }[]>): BusinessHours => BusinessHours.parse(days);
const split = [
  { open: '09:00', close: '13:00' },
  { open: '15:00', close: '19:00' },
];
/** Madrid shop: split weekdays, Saturday morning, closed on Sunday. */
const shop = hours({ mon: split, tue: split, wed: split, thu: split, fri: split, sat: [{ open: '10:00', close: '14:00' }] });
const office = hours(Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((weekday) => [weekday, [{ open: '09:00', close: '17:00' }]])));

describe('shiftInstant', () => {
  it.each([
    ['Madrid, day after spring-forward', '2026-03-29T09:00:00+02:00', MADRID, '2026-03-28T08:00:00.000Z'],
    ['New York, day of spring-forward', '2026-03-08T09:00:00-04:00', NEW_YORK, '2026-03-07T14:00:00.000Z'],
    ['Madrid, day of fall-back', '2026-10-25T09:00:00+01:00', MADRID, '2026-10-24T07:00:00.000Z'],
    ['New York, day of fall-back', '2026-11-01T09:00:00-05:00', NEW_YORK, '2026-10-31T13:00:00.000Z'],
  ])('puts "1 day before" a 09:00 appointment at 09:00 local the day before (%s)', (_, start, zone, expected) => {
    expect(shiftInstant(start, day, 'before', zone)).toBe(expected);
  });

  it('moves whole calendar days after, too, whatever offset the input was written in', () => {
    expect(shiftInstant('2026-03-28T08:00:00Z', { amount: 2, unit: 'days' }, 'after', MADRID)).toBe('2026-03-30T07:00:00.000Z');
    expect(shiftInstant('2026-10-31T13:00:00.000Z', day, 'after', NEW_YORK)).toBe('2026-11-01T14:00:00.000Z');
  });

  it('keeps "24 hours before" an absolute duration across the switch', () => {
    expect(shiftInstant('2026-03-29T09:00:00+02:00', { amount: 24, unit: 'hours' }, 'before', MADRID)).toBe('2026-03-28T07:00:00.000Z');
    expect(shiftInstant('2026-11-01T09:00:00-05:00', { amount: 24, unit: 'hours' }, 'before', NEW_YORK)).toBe('2026-10-31T14:00:00.000Z');
  });

  it('counts minutes and hours as real time through the switch', () => {
    // 03:10 CEST is 40 real minutes after 01:30 CET, the hour 02:00-03:00 never happening.
    expect(shiftInstant('2026-03-29T03:10:00+02:00', { amount: 30, unit: 'minutes' }, 'before', MADRID)).toBe('2026-03-29T00:40:00.000Z');
    expect(shiftInstant('2026-03-08T01:30:00-05:00', { amount: 2, unit: 'hours' }, 'after', NEW_YORK)).toBe('2026-03-08T08:30:00.000Z');
    expect(shiftInstant('2026-11-01T00:30:00-04:00', { amount: 90, unit: 'minutes' }, 'after', NEW_YORK)).toBe('2026-11-01T06:00:00.000Z');
  });

  it('moves a wall time the target day lacks forward by the gap, and keeps the offset of a repeated one', () => {
    expect(shiftInstant('2026-03-28T02:30:00+01:00', day, 'after', MADRID)).toBe('2026-03-29T01:30:00.000Z');
    expect(shiftInstant('2026-10-26T02:30:00+01:00', day, 'before', MADRID)).toBe('2026-10-25T01:30:00.000Z');
  });

  it('counts weeks as 7 calendar days, keeping the wall-clock time across a switch', () => {
    // 18:00 CEST on Friday 2 October, six weeks on: 18:00 CET on Friday 13 November.
    expect(shiftInstant('2026-10-02T16:00:00Z', { amount: 6, unit: 'weeks' }, 'after', MADRID)).toBe('2026-11-13T17:00:00.000Z');
    expect(formatOffset({ amount: 6, unit: 'weeks' })).toBe('6w');
  });

  // The repeated-hour rule (README, "Timed messages"): a wall time the target day has twice is taken
  // with the appointment's own UTC offset, so the message is exactly N × 24 h before. Expected
  // instants worked out by hand from each zone's switch (and checked against Python's zoneinfo).
  describe('the repeated-hour rule', () => {
    it.each([
      // London falls back on 25 Oct 2026 at 02:00 BST: 01:00-02:00 happens twice (BST, then GMT).
      ['London, an appointment in GMT', 'Europe/London', '2026-10-26T01:30:00Z', 1, '2026-10-25T01:30:00.000Z'],
      ['London, an appointment in BST', 'Europe/London', '2027-04-04T00:30:00Z', 161, '2026-10-25T00:30:00.000Z'],
      // New York falls back on 1 Nov 2026 at 02:00 EDT: 01:00-02:00 happens twice (EDT, then EST).
      ['New York, an appointment in EST', 'America/New_York', '2026-11-02T06:30:00Z', 1, '2026-11-01T06:30:00.000Z'],
      ['New York, an appointment in EDT', 'America/New_York', '2027-03-21T05:30:00Z', 140, '2026-11-01T05:30:00.000Z'],
      // Lord Howe falls back half an hour on 5 Apr 2026 at 02:00 (+11:00): 01:30-02:00 happens twice.
      ['Lord Howe, an appointment at +10:30', 'Australia/Lord_Howe', '2026-04-05T15:15:00Z', 1, '2026-04-04T15:15:00.000Z'],
      ['Lord Howe, an appointment at +11:00', 'Australia/Lord_Howe', '2026-10-10T14:45:00Z', 189, '2026-04-04T14:45:00.000Z'],
    ])('%s: N days before lands in the repeated hour at exactly N × 24 h before', (_, zone, start, amount, expected) => {
      expect(shiftInstant(start, { amount, unit: 'days' }, 'before', zone)).toBe(expected);
      expect(Date.parse(start) - Date.parse(expected)).toBe(amount * 24 * 3_600_000);
    });
  });

  it('rejects an instant it cannot read', () => {
    expect(() => shiftInstant('tomorrow', day, 'before', MADRID)).toThrow(/cannot shift tomorrow/);
  });
});

describe('dateAnchor', () => {
  it.each([
    ['2026-03-28', MADRID, '2026-03-28T08:00:00.000Z'],
    ['2026-03-29', MADRID, '2026-03-29T07:00:00.000Z'],
    ['2026-03-07', NEW_YORK, '2026-03-07T14:00:00.000Z'],
    ['2026-03-08', NEW_YORK, '2026-03-08T13:00:00.000Z'],
    ['2026-06-15', 'Asia/Tokyo', '2026-06-15T00:00:00.000Z'],
    ['2026-06-15', 'Pacific/Auckland', '2026-06-14T21:00:00.000Z'],
    ['2026-01-10', 'UTC', '2026-01-10T09:00:00.000Z'],
  ])('puts %s at 09:00 in %s', (date, zone, expected) => {
    expect(DATE_ANCHOR_TIME).toBe('09:00');
    expect(dateAnchor(date, zone)).toBe(expected);
  });

  it('counts "3 days after the due date" in calendar days from 09:00 local', () => {
    expect(shiftInstant(dateAnchor('2026-03-26', MADRID), { amount: 3, unit: 'days' }, 'after', MADRID)).toBe('2026-03-29T07:00:00.000Z');
  });

  it('rejects what is not a YYYY-MM-DD date', () => {
    expect(() => dateAnchor('2026-02-30', MADRID)).toThrow(/cannot anchor 2026-02-30/);
    expect(() => dateAnchor('2026-3-1', MADRID)).toThrow();
    expect(() => dateAnchor('2026-03-01', 'Nowhere/Town')).toThrow();
  });
});

describe('Offset', () => {
  const messages = (input: unknown): string[] => Offset.safeParse(input).error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) ?? [];

  it('accepts up to 366 days in total in any unit', () => {
    expect(messages({ amount: 366, unit: 'days' })).toEqual([]);
    expect(messages({ amount: 366 * 24, unit: 'hours' })).toEqual([]);
    expect(messages({ amount: 1, unit: 'minutes' })).toEqual([]);
  });

  it('explains what is wrong', () => {
    expect(messages({ amount: 367, unit: 'days' })).toEqual(['amount: must be at most 366 days in total']);
    expect(messages({ amount: 366 * 24 + 1, unit: 'hours' })).toEqual(['amount: must be at most 366 days in total']);
    expect(messages({ amount: 0, unit: 'days' })).toEqual(['amount: must be at least 1']);
    expect(messages({ amount: 1.5, unit: 'hours' })).toEqual(['amount: must be a whole number']);
    expect(messages({ amount: 1, unit: 'months' })).toHaveLength(1);
    expect(messages({ amount: 53, unit: 'weeks' })).toEqual(['amount: must be at most 366 days in total']);
    expect(messages({ amount: 1, unit: 'days', at: '09:00' })).toHaveLength(1);
  });

  it('has a nominal length and a short stable text', () => {
    expect(offsetMs(day)).toBe(86_400_000);
    expect(offsetMs({ amount: 30, unit: 'minutes' })).toBe(1_800_000);
    expect(offsetMs({ amount: 2, unit: 'hours' })).toBe(7_200_000);
    expect([day, { amount: 30, unit: 'minutes' } as const, { amount: 2, unit: 'hours' } as const].map(formatOffset)).toEqual(['1d', '30m', '2h']);
  });
});

describe('business hours', () => {
  it('knows whether any hours are set', () => {
    expect(hasHours(shop)).toBe(true);
    expect(hasHours(hours({}))).toBe(false);
  });

  it('is open from the opening minute up to, not including, the closing minute', () => {
    const open = (iso: string) => isOpen(shop, MADRID, at(iso));
    expect(open('2026-06-10T08:59:59+02:00')).toBe(false);
    expect(open('2026-06-10T09:00:00+02:00')).toBe(true);
    expect(open('2026-06-10T12:59:59+02:00')).toBe(true);
    expect(open('2026-06-10T13:00:00+02:00')).toBe(false);
    expect(open('2026-06-10T15:00:00+02:00')).toBe(true);
    expect(open('2026-06-10T19:00:00+02:00')).toBe(false);
    expect(open('2026-06-14T11:00:00+02:00')).toBe(false);
  });

  it('finds the next opening the same day, the next day and over a closed weekend', () => {
    const next = (iso: string, zone = MADRID, week = shop) => utc(nextOpening(week, zone, at(iso)));
    expect(next('2026-06-10T10:15:30+02:00')).toBe('2026-06-10T08:15:30.000Z');
    expect(next('2026-06-10T07:00:00+02:00')).toBe('2026-06-10T07:00:00.000Z');
    expect(next('2026-06-10T13:30:00+02:00')).toBe('2026-06-10T13:00:00.000Z');
    expect(next('2026-06-10T20:00:00+02:00')).toBe('2026-06-11T07:00:00.000Z');
    expect(next('2026-06-13T14:00:00+02:00')).toBe('2026-06-15T07:00:00.000Z');
    expect(next('2026-03-06T17:30:00-05:00', NEW_YORK, office)).toBe('2026-03-09T13:00:00.000Z');
    expect(next('2026-10-31T12:00:00-04:00', NEW_YORK, office)).toBe('2026-11-02T14:00:00.000Z');
    expect(nextOpening(hours({}), MADRID, at('2026-06-10T10:00:00Z'))).toBeUndefined();
  });

  it('opens at the local time after the weekend the clocks change', () => {
    expect(utc(nextOpening(shop, MADRID, at('2026-03-28T14:30:00+01:00')))).toBe('2026-03-30T07:00:00.000Z');
    expect(utc(nextOpening(shop, MADRID, at('2026-10-24T14:30:00+02:00')))).toBe('2026-10-26T08:00:00.000Z');
    const sundays = hours({ sun: [{ open: '09:00', close: '17:00' }] });
    expect(utc(nextOpening(sundays, NEW_YORK, at('2026-03-07T20:00:00-05:00')))).toBe('2026-03-08T13:00:00.000Z');
  });

  it('handles a day that closes at 24:00', () => {
    const late = hours({ fri: [{ open: '20:00', close: '24:00' }], sat: [{ open: '00:00', close: '02:00' }] });
    expect(isOpen(late, MADRID, at('2026-06-12T23:59:59+02:00'))).toBe(true);
    expect(isOpen(late, MADRID, at('2026-06-13T00:00:00+02:00'))).toBe(true);
    expect(isOpen(late, MADRID, at('2026-06-13T02:00:00+02:00'))).toBe(false);
    expect(utc(lastOpenMinuteBefore(late, MADRID, at('2026-06-13T05:00:00+02:00')))).toBe('2026-06-12T23:59:00.000Z');

    const fridayNights = hours({ fri: [{ open: '20:00', close: '24:00' }] });
    expect(isOpen(fridayNights, MADRID, at('2026-06-13T00:00:00+02:00'))).toBe(false);
    expect(utc(lastOpenMinuteBefore(fridayNights, MADRID, at('2026-06-13T05:00:00+02:00')))).toBe('2026-06-12T21:59:00.000Z');
    expect(utc(nextOpening(fridayNights, MADRID, at('2026-06-13T00:00:00+02:00')))).toBe('2026-06-19T18:00:00.000Z');
  });

  describe('on the day the clocks go forward', () => {
    it('is never open in wall-clock hours that do not exist', () => {
      const gap = hours({ sun: [{ open: '02:00', close: '03:00' }] });
      expect(isOpen(gap, MADRID, at('2026-03-29T00:59:59Z'))).toBe(false);
      expect(isOpen(gap, MADRID, at('2026-03-29T01:00:00Z'))).toBe(false);
      expect(utc(nextOpening(gap, MADRID, at('2026-03-29T00:00:00Z')))).toBe('2026-04-05T00:00:00.000Z');
    });

    it('opens when the jump lands inside an interval, and closes when it leaves one', () => {
      const lateStart = hours({ sun: [{ open: '02:30', close: '04:00' }] });
      expect(utc(nextOpening(lateStart, MADRID, at('2026-03-29T00:00:00Z')))).toBe('2026-03-29T01:00:00.000Z');
      const earlyEnd = hours({ sun: [{ open: '01:30', close: '02:30' }] });
      expect(isOpen(earlyEnd, MADRID, at('2026-03-29T00:59:59Z'))).toBe(true);
      expect(isOpen(earlyEnd, MADRID, at('2026-03-29T01:00:00Z'))).toBe(false);
      expect(utc(lastOpenMinuteBefore(earlyEnd, MADRID, at('2026-03-29T05:00:00Z')))).toBe('2026-03-29T00:59:00.000Z');
    });
  });

  describe('on the day the clocks go back', () => {
    it('is open both times a repeated wall-clock time comes round', () => {
      const repeated = hours({ sun: [{ open: '02:00', close: '02:30' }] });
      expect(isOpen(repeated, MADRID, at('2026-10-25T00:15:00Z'))).toBe(true);
      expect(isOpen(repeated, MADRID, at('2026-10-25T00:45:00Z'))).toBe(false);
      expect(isOpen(repeated, MADRID, at('2026-10-25T01:15:00Z'))).toBe(true);
      expect(utc(nextOpening(repeated, MADRID, at('2026-10-25T00:45:00Z')))).toBe('2026-10-25T01:00:00.000Z');
      expect(utc(lastOpenMinuteBefore(repeated, MADRID, at('2026-10-25T01:00:00Z')))).toBe('2026-10-25T00:29:00.000Z');
    });

    it('stays open through an interval that spans the repeated hour', () => {
      const night = hours({ sun: [{ open: '01:00', close: '02:00' }] });
      expect(isOpen(night, NEW_YORK, at('2026-11-01T06:30:00Z'))).toBe(true);
      expect(isOpen(night, NEW_YORK, at('2026-11-01T07:00:00Z'))).toBe(false);
      expect(utc(lastOpenMinuteBefore(night, NEW_YORK, at('2026-11-01T12:00:00Z')))).toBe('2026-11-01T06:59:00.000Z');
    });
  });

  it('defines the last open minute as the latest whole minute strictly before, at which it is open', () => {
    const last = (iso: string) => utc(lastOpenMinuteBefore(shop, MADRID, at(iso)));
    expect(last('2026-06-10T10:30:00+02:00')).toBe('2026-06-10T08:29:00.000Z');
    expect(last('2026-06-10T10:30:20+02:00')).toBe('2026-06-10T08:30:00.000Z');
    expect(last('2026-06-10T09:00:30+02:00')).toBe('2026-06-10T07:00:00.000Z');
    expect(last('2026-06-10T09:00:00+02:00')).toBe('2026-06-09T16:59:00.000Z');
    expect(last('2026-06-10T14:00:00+02:00')).toBe('2026-06-10T10:59:00.000Z');
    expect(last('2026-06-15T08:00:00+02:00')).toBe('2026-06-13T11:59:00.000Z');
    expect(lastOpenMinuteBefore(hours({}), MADRID, at('2026-06-10T10:00:00Z'))).toBeUndefined();
  });
});

describe('withinBusinessHours', () => {
  const within = (nominal: string, notAfter?: string, week = shop) => {
    const result = withinBusinessHours(at(nominal), week, MADRID, notAfter === undefined ? undefined : at(notAfter));
    return 'at' in result ? result.at.toISOString() : result.skipped;
  };

  it('leaves the time alone when the location set no hours or is open', () => {
    expect(within('2026-06-14T03:00:00+02:00', '2026-06-14T04:00:00+02:00', hours({}))).toBe('2026-06-14T01:00:00.000Z');
    expect(within('2026-06-10T10:00:00+02:00')).toBe('2026-06-10T08:00:00.000Z');
  });

  it('defers to the next opening', () => {
    expect(within('2026-06-10T13:30:00+02:00')).toBe('2026-06-10T13:00:00.000Z');
    expect(within('2026-06-10T13:30:00+02:00', '2026-06-10T15:01:00+02:00')).toBe('2026-06-10T13:00:00.000Z');
  });

  it('goes out at the last open minute before instead when the next opening is at or after notAfter', () => {
    expect(within('2026-06-10T13:30:00+02:00', '2026-06-10T14:00:00+02:00')).toBe('2026-06-10T10:59:00.000Z');
    expect(within('2026-06-10T13:30:00+02:00', '2026-06-10T15:00:00+02:00')).toBe('2026-06-10T10:59:00.000Z');
    expect(within('2026-06-15T07:00:00+02:00', '2026-06-15T09:00:00+02:00')).toBe('2026-06-13T11:59:00.000Z');
  });

  it('is skipped when no open minute fits', () => {
    // Sunday 02:00-03:00 did not exist on 29 March, and the Sunday before is out of reach.
    const gap = hours({ sun: [{ open: '02:00', close: '03:00' }] });
    expect(within('2026-04-01T12:00:00+02:00', '2026-04-02T00:00:00+02:00', gap)).toBe('outside_business_hours');
    expect(within('2026-04-01T12:00:00+02:00', undefined, gap)).toBe('2026-04-05T00:00:00.000Z');
  });
});

describe('business hours against a minute-by-minute reading of the wall clock', () => {
  const MINUTE = 60_000;
  const DAY = 86_400_000;
  const zones = ['Europe/Madrid', 'America/New_York', 'UTC', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Asia/Kolkata'];
  const keys = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
  const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

  const minuteOfDay = fc.oneof(fc.integer({ min: 0, max: 48 }).map((half) => half * 30), fc.integer({ min: 0, max: 1440 }));
  const dayHours = fc
    .uniqueArray(minuteOfDay, { maxLength: 4 })
    .map((points) => [...points].sort((a, b) => a - b))
    .map((points) => points.flatMap((open, i) => (i % 2 === 0 && i + 1 < points.length ? [{ open: hhmm(open), close: hhmm(points[i + 1]!) }] : [])));
  const week = fc.tuple(...keys.map(() => fc.oneof({ weight: 1, arbitrary: fc.constant([]) }, { weight: 3, arbitrary: dayHours }))).map((days) =>
    BusinessHours.parse(Object.fromEntries(keys.map((key, i) => [key, days[i]]))),
  );
  // The weeks around the 2026 DST switches of these zones, to the millisecond.
  const instant = fc
    .oneof(fc.integer({ min: Date.UTC(2026, 2, 1), max: Date.UTC(2026, 3, 15) }), fc.integer({ min: Date.UTC(2026, 8, 20), max: Date.UTC(2026, 10, 10) }))
    .map((ms) => new Date(ms));

  /** The oracle: luxon's reading of the local weekday and time, independent of the implementation. */
  const openByLuxon = (week: BusinessHours, zone: string, ms: number) => {
    const local = DateTime.fromMillis(ms, { zone });
    const time = hhmm(local.hour * 60 + local.minute);
    return week[keys[local.weekday - 1]!].some((interval) => interval.open <= time && time < interval.close);
  };

  it('agrees with the oracle on nextOpening and lastOpenMinuteBefore', () => {
    fc.assert(
      fc.property(week, fc.constantFrom(...zones), instant, (hours, zone, from) => {
        const start = from.getTime();
        expect(isOpen(hours, zone, from)).toBe(openByLuxon(hours, zone, start));

        let expectedNext: number | undefined = openByLuxon(hours, zone, start) ? start : undefined;
        for (let minute = Math.floor(start / MINUTE) * MINUTE + MINUTE; expectedNext === undefined && minute <= start + 8 * DAY; minute += MINUTE) {
          if (openByLuxon(hours, zone, minute)) expectedNext = minute;
        }
        expect(nextOpening(hours, zone, from)?.getTime()).toBe(expectedNext);

        let expectedLast: number | undefined;
        for (let minute = Math.floor((start - 1) / MINUTE) * MINUTE; expectedLast === undefined && minute >= start - 8 * DAY; minute -= MINUTE) {
          if (openByLuxon(hours, zone, minute)) expectedLast = minute;
        }
        expect(lastOpenMinuteBefore(hours, zone, from)?.getTime()).toBe(expectedLast);
      }),
      { numRuns: 60 },
    );
  });

  it('never sends outside the hours, nor at or after notAfter', () => {
    fc.assert(
      fc.property(week, fc.constantFrom(...zones), instant, fc.option(fc.integer({ min: 1, max: 3 * DAY })), (hours, zone, nominal, lead) => {
        const notAfter = lead === null ? undefined : new Date(nominal.getTime() + lead);
        const result = withinBusinessHours(nominal, hours, zone, notAfter);
        if ('skipped' in result) {
          expect(notAfter).toBeDefined();
          return;
        }
        if (hasHours(hours)) expect(isOpen(hours, zone, result.at)).toBe(true);
        else expect(result.at).toBe(nominal);
        if (notAfter) expect(result.at.getTime()).toBeLessThan(notAfter.getTime());
      }),
      { numRuns: 500 },
    );
  });
});
