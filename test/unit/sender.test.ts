import { describe, expect, it } from 'vitest';
import { effectiveSender, mailboxOf, SenderDomainInput, type SenderIdentity } from '#domain/sender.ts';
import { sesTenantNameOf } from '#domain/identities.ts';

/** What a mail reader shows: RFC 2047 encoded-words decoded, whitespace between adjacent ones dropped. */
const decoded = (header: string): string =>
  header.replace(/=\?UTF-8\?B\?([^?]*)\?=(?:\s+(?==\?UTF-8\?B\?))?/g, (_, text: string) => Buffer.from(text, 'base64').toString('utf8'));
/** Every encoded-word's bytes alone are valid UTF-8: no character was cut between two words. */
const wordsOf = (header: string): string[] => [...header.matchAll(/=\?UTF-8\?B\?([^?]*)\?=/g)].map((match) => match[0]);

describe('mailboxOf', () => {
  it('quotes a printable-ASCII name, so commas and dots are plain text', () => {
    expect(mailboxOf('Smith, Jones & Co.', 'citas@platform.example')).toBe('"Smith, Jones & Co." <citas@platform.example>');
  });

  it('escapes quotes and backslashes inside the quoted string', () => {
    expect(mailboxOf('The "Best" \\ Salon', 'a@b.example')).toBe('"The \\"Best\\" \\\\ Salon" <a@b.example>');
  });

  it('encodes a name with accents as RFC 2047 encoded-words', () => {
    const header = mailboxOf('Salón Lucía', 'citas@platform.example');
    expect(header).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?= <citas@platform\.example>$/);
    expect(decoded(header)).toBe('Salón Lucía <citas@platform.example>');
  });

  it.each([['CJK', '東京ヘアサロン 銀座店'], ['emoji', 'Nails 💅🏽 & Spa 👩‍👩‍👧'], ['Arabic', 'صالون الجمال']])('encodes %s so it decodes back exactly', (_, name) => {
    const header = mailboxOf(name, 'a@b.example');
    expect(header).toMatch(/^[\x20-\x7e]+$/);
    expect(decoded(header)).toBe(`${name} <a@b.example>`);
  });

  it('splits a long name into encoded-words of at most 75 characters, never inside a character', () => {
    const name = 'Peluquería y Estética Ñandú '.repeat(6) + '👩‍👩‍👧‍👦';
    const header = mailboxOf(name, 'a@b.example');
    const words = wordsOf(header);
    expect(words.length).toBeGreaterThan(3);
    for (const word of words) {
      expect(word.length).toBeLessThanOrEqual(75);
      const bytes = Buffer.from(word.slice(10, -2), 'base64');
      expect(new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toBeTypeOf('string');
    }
    // The family emoji (one grapheme of several code points) stays in one word.
    expect(words.some((word) => Buffer.from(word.slice(10, -2), 'base64').toString('utf8').includes('👩‍👩‍👧‍👦'))).toBe(true);
    expect(decoded(header)).toBe(`${name.trim()} <a@b.example>`);
  });

  it('keeps a line break or a control character from starting another header', () => {
    const header = mailboxOf('Salon\r\nBcc: victim@example.com', 'a@b.example');
    expect(header).not.toMatch(/[\r\n]/);
    expect(header).toBe('"Salon Bcc: victim@example.com" <a@b.example>');
  });

  it('gives the bare address for an empty or blank name', () => {
    expect(mailboxOf('', 'a@b.example')).toBe('a@b.example');
    expect(mailboxOf(' \t ', 'a@b.example')).toBe('a@b.example');
  });
});

describe('SenderDomainInput', () => {
  it('takes a domain in lower case, an internationalized one in punycode', () => {
    expect(SenderDomainInput.parse({ domain: 'Salon-Lucia.ES.', localPart: 'citas' })).toEqual({ domain: 'salon-lucia.es', localPart: 'citas' });
    expect(SenderDomainInput.parse({ domain: 'peluquería.es', localPart: 'hola' }).domain).toBe('xn--peluquera-n5a.es');
  });

  it.each(['localhost', 'no spaces.es', '-bad.es', 'a..b', '1.2.3.4', 'x'.repeat(64) + '.es', ''])('refuses the domain %j', (domain) => {
    expect(SenderDomainInput.safeParse({ domain, localPart: 'citas' }).success).toBe(false);
  });

  it.each(['citas', 'first.last', "o'brien+bookings"])('takes the local part %j', (localPart) => {
    expect(SenderDomainInput.safeParse({ domain: 'a.es', localPart }).success).toBe(true);
  });

  it.each(['', 'two words', 'dots..twice', '.lead', 'ñandú', 'a@b', 'x'.repeat(65)])('refuses the local part %j', (localPart) => {
    expect(SenderDomainInput.safeParse({ domain: 'a.es', localPart }).success).toBe(false);
  });
});

describe('effectiveSender', () => {
  const business = { businessName: 'Salón Lucía', contactEmail: 'lucia@gmail.example' };
  const at = '2026-03-01T10:00:00.000Z';
  const domain = (status: 'pending' | 'verified' | 'failed', reason?: string): Pick<SenderIdentity, 'tenant' | 'domain'> => ({
    tenant: { name: 'stack-abc', createdAt: at },
    domain: { name: 'salon-lucia.es', localPart: 'citas', status, ...(reason ? { reason } : {}), dkimRecords: [], registeredAt: at, checkedAt: at },
  });

  it('is the platform address with the business name and Reply-To its contact address, without a domain', () => {
    expect(effectiveSender(business, undefined)).toEqual({ name: 'Salón Lucía', replyTo: 'lucia@gmail.example', status: 'platform' });
  });

  it('names the tenant once it exists', () => {
    expect(effectiveSender(business, { tenant: { name: 'stack-abc', createdAt: at } }).tenantName).toBe('stack-abc');
  });

  it('is the own address once the domain is verified', () => {
    expect(effectiveSender(business, domain('verified'))).toEqual({ name: 'Salón Lucía', address: 'citas@salon-lucia.es', replyTo: 'lucia@gmail.example', status: 'verified', tenantName: 'stack-abc' });
  });

  it('keeps the platform address while the domain is pending, and says why', () => {
    const sender = effectiveSender(business, domain('pending'));
    expect(sender.address).toBeUndefined();
    expect(sender).toMatchObject({ status: 'pending', reason: expect.stringContaining('not verified yet') });
  });

  it('keeps the platform address when verification failed, with SES\'s reason', () => {
    const sender = effectiveSender(business, domain('failed', 'SES could not verify the DKIM records'));
    expect(sender.address).toBeUndefined();
    expect(sender).toMatchObject({ status: 'failed', reason: 'domain salon-lucia.es failed verification: SES could not verify the DKIM records' });
  });

  it('has no Reply-To without a contact address', () => {
    expect(effectiveSender({ businessName: 'X' }, undefined)).not.toHaveProperty('replyTo');
  });
});

describe('sesTenantNameOf', () => {
  it('is deterministic, within SES\'s 64 characters of [A-Za-z0-9_-], and different per business', () => {
    const name = sesTenantNameOf('ClientMessages', 'tenant-1');
    expect(name).toBe(sesTenantNameOf('ClientMessages', 'tenant-1'));
    expect(name).toMatch(/^ClientMessages-[A-Za-z0-9_-]{43}$/);
    expect(name.length).toBeLessThanOrEqual(64);
    expect(sesTenantNameOf('ClientMessages', 'tenant-2')).not.toBe(name);
  });

  it('refuses a prefix IAM could not scope to', () => {
    expect(() => sesTenantNameOf('has*star', 't')).toThrow(/prefix/);
    expect(() => sesTenantNameOf('x'.repeat(21), 't')).toThrow(/prefix/);
  });
});
