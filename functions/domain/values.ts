import * as z from 'zod';
import { IANAZone } from 'luxon';

/** Value types shared by several records. */

export const languages = ['en', 'es', 'fr', 'it'] as const;
export const Language = z.enum(languages);
export type Language = z.infer<typeof Language>;

export const TimeZone = z
  .string()
  .refine((zone) => (zone === 'UTC' || zone.includes('/')) && IANAZone.isValidZone(zone), {
    message: 'must be an IANA time zone such as Europe/Madrid or UTC',
  });

/** An instant with an explicit offset (`Z` or `+02:00`), so it is never read in the server's zone. */
export const Instant = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with an offset, e.g. 2026-03-01T10:00:00+01:00' });

export const CalendarDate = z.iso.date({ message: 'must be a date as YYYY-MM-DD' });

export const RecordId = z
  .string()
  .regex(/^[0-9A-Za-z_-]{1,64}$/, 'must be a record id (letters, digits, - and _)')
  .meta({ description: 'A record id as returned on create' });

const currencies = new Set(Intl.supportedValuesOf('currency'));
export const Currency = z.string().refine((code) => currencies.has(code), { message: 'must be an ISO 4217 currency code such as EUR' });

/** Money as an integer in the currency's minor unit (cents), so sums are exact. */
export const AmountMinor = z.number().int('must be a whole number of minor units (e.g. cents)').min(0).max(1_000_000_000_00);

export const Name = z.string().trim().min(1, 'must not be empty').max(200);
export const Notes = z.string().max(5000);

/** Sort key form of an instant: UTC with fixed precision, so string order is time order. */
export const sortableInstant = (iso: string): string => new Date(iso).toISOString();
