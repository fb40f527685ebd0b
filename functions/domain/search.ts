// Min metadata: the national part of a stored E.164 number needs only the calling codes, not the validation patterns (phone.ts).
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';

/**
 * Prefix search on clients without a scan: each client is written with one search entry per term
 * (first name, last name, full name, email, phone digits in E.164 and national form), in the same
 * transaction as the client, so a query is a `begins_with` on the normalized term.
 */

/** Lower case, accents dropped, spaces collapsed, no `#` (the key separator): `José  García` → `jose garcia`. */
export const normalizeText = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/#/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** What a typed query searches for: digits alone when it looks like a phone number (`+34 612-34` → `3461234`), else normalized text. */
export function searchPrefixOf(query: string): string {
  if (/\d/.test(query) && /^[\d\s+().-]+$/.test(query)) return query.replace(/\D/g, '');
  return normalizeText(query);
}

/** The search terms of a record of a searchable kind (clients); none for other kinds. */
export function searchTermsOf(kind: string, record: Readonly<Record<string, unknown>>): string[] {
  if (kind !== 'client') return [];
  const text = (value: unknown) => (typeof value === 'string' ? normalizeText(value) : '');
  const first = text(record.firstName);
  const last = text(record.lastName);
  const terms = [first, last, [first, last].filter(Boolean).join(' '), text(record.email)];
  if (typeof record.phone === 'string') {
    terms.push(record.phone.replace(/\D/g, ''));
    const national = parsePhoneNumberFromString(record.phone)?.nationalNumber;
    if (national) terms.push(String(national));
  }
  return [...new Set(terms.filter((term) => term.length > 0))];
}

/** Kinds whose records are written with search entries. */
export const searchableKinds: ReadonlySet<string> = new Set(['client']);

/**
 * A record found by several of its terms is answered once: by the term whose entry sorts first
 * (`<term>#<id>`), so every page, and the next, agree on which entry stands for it.
 */
export function isRepresentative(kind: string, record: Readonly<Record<string, unknown>>, matchedTerm: string, prefix: string): boolean {
  const matching = searchTermsOf(kind, record).filter((term) => term.startsWith(prefix));
  // An entry whose term the record no longer has is stale (the record was changed elsewhere): skipped.
  if (!matching.includes(matchedTerm)) return false;
  return matching.every((term) => `${matchedTerm}#` <= `${term}#`);
}
