import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/** The E.164 form of a phone number, or undefined when it is not a valid number. */
export function toE164(raw: string, defaultCountry?: string): string | undefined {
  const parsed = parsePhoneNumberFromString(raw, defaultCountry as CountryCode | undefined);
  return parsed?.isValid() ? parsed.number : undefined;
}

/** Numbers typed with a leading + or 00 carry their own country code. */
export const hasCountryCode = (raw: string): boolean => /^\s*(\+|00)/.test(raw);
