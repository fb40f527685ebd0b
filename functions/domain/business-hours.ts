import { IANAZone } from 'luxon';
import type { BusinessHours } from '#domain/locations.ts';

/**
 * Business hours are wall-clock times: the location is open at an instant when, in its time zone,
 * that instant's weekday has an interval with open <= HH:MM < close. So on a spring-forward day the
 * skipped wall times are never open, and in the fall-back hour a repeated wall time is open both times.
 */

const MINUTE = 60_000;
const DAY = 86_400_000;
/** Beyond a week, so a weekly opening that a DST gap swallowed once is still found a week later. */
const SEARCH_DAYS = 8;
/** Indexed like Date#getUTCDay (0 = Sunday). */
const dayKeys: readonly (keyof BusinessHours)[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const minutesOf = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
const floorMinute = (ms: number): number => Math.floor(ms / MINUTE) * MINUTE;

const zoneOf = (timeZone: string): IANAZone => {
  const zone = IANAZone.create(timeZone);
  if (!zone.isValid) throw new Error(`invalid time zone: ${timeZone}`);
  return zone;
};

/** The local wall-clock time of `ms` written as if it were UTC, so calendar days are exactly 24 h apart. */
const wallOf = (zone: IANAZone, ms: number): number => ms + zone.offset(ms) * MINUTE;

const openAt = (hours: BusinessHours, zone: IANAZone, ms: number): boolean => {
  const wall = new Date(wallOf(zone, ms));
  const minute = wall.getUTCHours() * 60 + wall.getUTCMinutes();
  return hours[dayKeys[wall.getUTCDay()]!].some((interval) => minutesOf(interval.open) <= minute && minute < minutesOf(interval.close));
};

/** The instants in (start, end] where the zone's UTC offset changes (a DST switch), to the millisecond. */
const offsetChanges = (zone: IANAZone, start: number, end: number): number[] => {
  const changes: number[] = [];
  for (let from = start; from < end; from += DAY) {
    let [before, after] = [from, Math.min(from + DAY, end)];
    if (zone.offset(before) === zone.offset(after)) continue;
    while (after - before > 1) {
      const middle = Math.floor((before + after) / 2);
      if (zone.offset(middle) === zone.offset(before)) before = middle;
      else after = middle;
    }
    changes.push(after);
  }
  return changes;
};

/**
 * Every instant in [start, end] where the open state may change: each occurrence of an interval's
 * open or close wall time (under each UTC offset the zone uses then, so both passes of a fall-back
 * hour count) and each offset change (a jump into or out of an interval). Some are not real
 * occurrences of their wall time; that is harmless, as callers check each candidate with openAt.
 */
const edges = (hours: BusinessHours, zone: IANAZone, start: number, end: number): number[] => {
  const changes = offsetChanges(zone, start - DAY, end + DAY);
  const offsets = new Set([zone.offset(start - DAY), ...changes.map((change) => zone.offset(change))]);
  const candidates = [...changes];
  // From a day before to a day after the window, as a wall time can map to an instant either side of its day.
  for (let day = Math.floor(wallOf(zone, start) / DAY) * DAY - DAY; day <= wallOf(zone, end) + DAY; day += DAY) {
    for (const interval of hours[dayKeys[new Date(day).getUTCDay()]!]) {
      for (const time of [interval.open, interval.close]) {
        for (const offset of offsets) candidates.push(day + minutesOf(time) * MINUTE - offset * MINUTE);
      }
    }
  }
  return candidates.filter((candidate) => candidate >= start && candidate <= end);
};

/** Whether any weekday has an opening interval. */
export const hasHours = (hours: BusinessHours): boolean => Object.values(hours).some((intervals) => intervals.length > 0);

/** Whether the location is open at `at`: some interval of that local weekday has open <= local time < close. */
export const isOpen = (hours: BusinessHours, timeZone: string, at: Date): boolean => openAt(hours, zoneOf(timeZone), at.getTime());

/** `from` itself when open, else the next instant the location opens within SEARCH_DAYS; undefined if none. */
export const nextOpening = (hours: BusinessHours, timeZone: string, from: Date): Date | undefined => {
  const zone = zoneOf(timeZone);
  const start = from.getTime();
  if (openAt(hours, zone, start)) return from;
  const openings = edges(hours, zone, start, start + SEARCH_DAYS * DAY).filter((edge) => openAt(hours, zone, edge));
  return openings.length > 0 ? new Date(Math.min(...openings)) : undefined;
};

/**
 * The latest whole minute (hh:mm:00.000) m with m < `before` and the location open at m, looking
 * back SEARCH_DAYS; undefined if none. That is the minute of `before` − 1 ms when open then
 * (10:30:20 → 10:30, 10:30 → 10:29), else the last minute of the latest interval to have ended
 * (19:00 or 19:00:30 with a 19:00 closing → 18:59; 09:00 with a 09:00 opening → the previous closing minute).
 */
export const lastOpenMinuteBefore = (hours: BusinessHours, timeZone: string, before: Date): Date | undefined => {
  const zone = zoneOf(timeZone);
  const end = before.getTime();
  const start = end - SEARCH_DAYS * DAY;
  // The last open minute is the one just before `before` or just before some edge that closed the location.
  const minutes = [end, ...edges(hours, zone, start, end)]
    .map((edge) => floorMinute(edge - 1))
    .filter((minute) => minute >= start && openAt(hours, zone, minute));
  return minutes.length > 0 ? new Date(Math.max(...minutes)) : undefined;
};

/**
 * When a message restricted to business hours goes out: at `nominal` if the location is open then
 * (or never set its hours), else at the next opening. A reminder must not move past what it reminds
 * about, so if the next opening is at or after `notAfter` (expected to be after `nominal`) it goes
 * out at the last open minute before `nominal` instead, and is skipped if there is none.
 */
export const withinBusinessHours = (
  nominal: Date,
  hours: BusinessHours,
  timeZone: string,
  notAfter?: Date,
): { at: Date } | { skipped: 'outside_business_hours' } => {
  if (!hasHours(hours)) return { at: nominal };
  const opening = nextOpening(hours, timeZone, nominal);
  if (opening && (!notAfter || opening < notAfter)) return { at: opening };
  const earlier = lastOpenMinuteBefore(hours, timeZone, nominal);
  return earlier ? { at: earlier } : { skipped: 'outside_business_hours' };
};
