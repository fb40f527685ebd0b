import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { invalidInput } from '#domain/errors.ts';

/** The E.164 form of a phone number, or undefined when it is not a valid number. */
export function toE164(raw: string, defaultCountry?: string): string | undefined {
  // The international prefix 00 is only understood with a country to dial from; + needs none.
  const parsed = parsePhoneNumberFromString(raw.replace(/^\s*00/, '+'), defaultCountry as CountryCode | undefined);
  return parsed?.isValid() ? parsed.number : undefined;
}

/** Numbers typed with a leading + or 00 carry their own country code. */
export const hasCountryCode = (raw: string): boolean => /^\s*(\+|00)/.test(raw);

/**
 * The E.164 form of a number someone typed, or a 400 naming the `phone` field: a number without a
 * country code is read as `defaultCountry`'s, and refused when there is none.
 */
export function phoneInE164(raw: string, defaultCountry: string | undefined): string {
  const country = hasCountryCode(raw) ? undefined : defaultCountry;
  if (!hasCountryCode(raw) && !country) {
    throw invalidInput([{ path: 'phone', message: 'must start with the country code, e.g. +34 612 345 678 (the business settings name no defaultCountry)' }]);
  }
  const e164 = toE164(raw, country);
  if (!e164) throw invalidInput([{ path: 'phone', message: `is not a valid phone number${country ? ` for ${country}` : ''}` }]);
  return e164;
}
