import { describe, expect, it } from 'vitest';
import { isRepresentative, normalizeText, searchPrefixOf, searchTermsOf } from '#domain/search.ts';

describe('client search terms', () => {
  it('normalizes case, accents, spaces and the key separator', () => {
    expect(normalizeText('  José   GARCÍA#Ñ ')).toBe('jose garcia n');
    expect(searchPrefixOf('+34 (655) 00-1')).toBe('34655001');
    expect(searchPrefixOf('Ana 2')).toBe('ana 2');
  });

  it('has the names, full name, email and the phone in E.164 and national digits', () => {
    expect(searchTermsOf('client', { firstName: 'Ana', lastName: 'García', email: 'ana@example.com', phone: '+34612345678' })).toEqual([
      'ana',
      'garcia',
      'ana garcia',
      'ana@example.com',
      '34612345678',
      '612345678',
    ]);
    expect(searchTermsOf('booking', { firstName: 'Ana' })).toEqual([]);
  });

  it('answers a client matched by several terms by the entry that sorts first, and skips a stale one', () => {
    const client = { firstName: 'Ana', lastName: 'Anaya', email: 'ana@example.com' };
    // Entries sort as `<term>#<id>`: `ana anaya#…` before `ana#…` (space before #).
    expect(isRepresentative('client', client, 'ana anaya', 'ana')).toBe(true);
    expect(isRepresentative('client', client, 'ana', 'ana')).toBe(false);
    expect(isRepresentative('client', client, 'anaya', 'ana')).toBe(false);
    expect(isRepresentative('client', client, 'anabel', 'ana')).toBe(false);
  });
});
