import * as z from 'zod';
import { DateTime } from 'luxon';

export const timeUnits = ['minutes', 'hours', 'days', 'weeks'] as const;
export type TimeUnit = (typeof timeUnits)[number];

const unitMinutes: Record<TimeUnit, number> = { minutes: 1, hours: 60, days: 24 * 60, weeks: 7 * 24 * 60 };
const unitSuffix: Record<TimeUnit, string> = { minutes: 'm', hours: 'h', days: 'd', weeks: 'w' };
const MAX_OFFSET_DAYS = 366;
const MINUTE_MS = 60_000;

export const Offset = z
  .strictObject({
    amount: z.number().int('must be a whole number').min(1, 'must be at least 1'),
    unit: z.enum(timeUnits),
  })
  .refine((offset) => offset.amount * unitMinutes[offset.unit] <= MAX_OFFSET_DAYS * unitMinutes.days, {
    message: `must be at most ${MAX_OFFSET_DAYS} days in total`,
    path: ['amount'],
  })
  .meta({
    description: `How long before or after the anchor a message goes out, at most ${MAX_OFFSET_DAYS} days. Days and weeks are calendar days in the location's time zone (same wall-clock time); minutes and hours are exact durations.`,
  });
export type Offset = z.infer<typeof Offset>;

/** Reminders about a calendar date (an invoice's due date) go out at this local time of the business. */
export const DATE_ANCHOR_TIME = '09:00';

const utcIso = (local: DateTime, what: string): string => {
  if (!local.isValid) throw new Error(`${what}: ${local.invalidExplanation ?? local.invalidReason}`);
  return local.toJSDate().toISOString();
};

/**
 * The instant `offset` before or after `instant`, as ISO UTC. Days move the calendar in `timeZone`
 * and keep the local wall-clock time, so "1 day before 09:00" is 09:00 the day before even across a
 * DST switch; minutes and hours are absolute. A wall time the target day lacks (spring-forward gap)
 * moves forward by the gap, and one it has twice (fall-back) keeps the start's UTC offset if it can,
 * both as luxon does.
 */
export const shiftInstant = (instant: string, offset: Offset, direction: 'before' | 'after', timeZone: string): string => {
  const start = DateTime.fromISO(instant, { zone: timeZone });
  const amount = direction === 'before' ? -offset.amount : offset.amount;
  return utcIso(start.plus({ [offset.unit]: amount }), `cannot shift ${instant} in ${timeZone}`);
};

/** `date` (YYYY-MM-DD) at DATE_ANCHOR_TIME in `timeZone`, as ISO UTC. */
export const dateAnchor = (date: string, timeZone: string): string =>
  utcIso(DateTime.fromFormat(`${date} ${DATE_ANCHOR_TIME}`, 'yyyy-MM-dd HH:mm', { zone: timeZone }), `cannot anchor ${date} in ${timeZone}`);

/** Nominal length, a day counting 24 hours: for bounds (how late is too late), never for scheduling. */
export const offsetMs = (offset: Offset): number => offset.amount * unitMinutes[offset.unit] * MINUTE_MS;

/** Short stable text such as `1d`, `30m` or `2h`: it is part of ids and fingerprints, so it must never change. */
export const formatOffset = (offset: Offset): string => `${offset.amount}${unitSuffix[offset.unit]}`;
