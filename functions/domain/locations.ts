import * as z from 'zod';
import { Name, TimeZone } from '#domain/values.ts';
import { RecordMeta } from '#domain/record.ts';
import type { RecordRef } from '#domain/record-store.ts';

const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be a time as HH:MM (24-hour)');

const OpeningInterval = z
  .strictObject({ open: TimeOfDay, close: TimeOfDay })
  .refine((interval) => interval.open < interval.close, { message: 'close must be after open' });

const DayHours = z
  .array(OpeningInterval)
  .max(6)
  .refine((intervals) => [...intervals].sort((a, b) => a.open.localeCompare(b.open)).every((cur, i, all) => i === 0 || all[i - 1]!.close <= cur.open), {
    message: 'opening intervals must not overlap',
  });

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** Opening hours per weekday in the location's own time zone; a day with no intervals is closed. */
export const BusinessHours = z.strictObject(Object.fromEntries(weekdays.map((day) => [day, DayHours.default([])])) as Record<(typeof weekdays)[number], z.ZodDefault<typeof DayHours>>);
export type BusinessHours = z.infer<typeof BusinessHours>;

const LocationFields = z.strictObject({ name: Name, timeZone: TimeZone, businessHours: BusinessHours });
export const LocationInput = LocationFields.extend({ businessHours: BusinessHours.default(BusinessHours.parse({})) });
export const LocationPatch = LocationFields.partial();
export const Location = LocationInput.extend(RecordMeta.shape);
export type Location = z.infer<typeof Location>;

export const locationKind = 'location';

/**
 * A location named by a booking or an order: it must exist, and it counts its holders (in the
 * write's transaction), so it cannot be deleted while any booking or order uses it.
 */
export const locationRef = (id: unknown, heldBy: 'booking' | 'order'): RecordRef => ({ kind: locationKind, id: String(id), field: 'locationId', heldBy });

/** The counted location references a change of `locationId` takes and drops; none when it stays. */
export function locationChange(before: unknown, after: unknown, heldBy: 'booking' | 'order'): { references: RecordRef[]; dropsReferences: RecordRef[] } {
  if (after === undefined || after === before) return { references: [], dropsReferences: [] };
  return { references: [locationRef(after, heldBy)], dropsReferences: before === undefined ? [] : [locationRef(before, heldBy)] };
}
