import { describe, expect, it } from 'vitest';
import { generateSecret } from '#local/token-key.ts';
import { signUnsubscribeToken, unsubscribeTokenSeconds, unsubscribeUrl, verifyUnsubscribeToken } from '#domain/unsubscribe-token.ts';
import { isUnsubscribed, marketingKindOf, unsubscribeKey, withUnsubscribe } from '#domain/unsubscribe.ts';
import { choicePage, donePage, invalidLinkPage } from '#domain/unsubscribe-page.ts';

const key = generateSecret();
const now = new Date('2026-03-01T10:00:00Z');
const claims = { tenantId: 'acme', clientId: 'C1', channel: 'email' as const, kind: 'booking_follow_up' };
const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);

describe('the unsubscribe token', () => {
  it('names the business, the client, the channel and the kind it was signed for', async () => {
    const token = await signUnsubscribeToken(key, claims, now);
    expect(await verifyUnsubscribeToken(key, token, later(60))).toEqual(claims);
    const { kind: _, ...preferences } = claims;
    expect(await verifyUnsubscribeToken(key, await signUnsubscribeToken(key, preferences, now), now)).toEqual(preferences);
  });

  it('expires after 90 days', async () => {
    const token = await signUnsubscribeToken(key, claims, now);
    expect(unsubscribeTokenSeconds).toBe(90 * 24 * 3600);
    expect(await verifyUnsubscribeToken(key, token, later(unsubscribeTokenSeconds - 1))).toEqual(claims);
    expect(await verifyUnsubscribeToken(key, token, later(unsubscribeTokenSeconds))).toBeUndefined();
  });

  it('is refused when tampered with, signed with another key, or not a token at all', async () => {
    const token = await signUnsubscribeToken(key, claims, now);
    const [header, payload, signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), c: 'C2' })).toString('base64url');
    expect(await verifyUnsubscribeToken(key, `${header}.${forged}.${signature}`, now)).toBeUndefined();
    expect(await verifyUnsubscribeToken(key, `${token.slice(0, -2)}AA`, now)).toBeUndefined();
    expect(await verifyUnsubscribeToken(generateSecret(), token, now)).toBeUndefined();
    expect(await verifyUnsubscribeToken(key, 'not.a.token', now)).toBeUndefined();
    // Unsigned ("alg": "none") is never taken.
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
    expect(await verifyUnsubscribeToken(key, unsigned, now)).toBeUndefined();
  });

  it('goes in the link’s `link` parameter under the public base URL', () => {
    expect(unsubscribeUrl('https://api.example/', 'a.b.c')).toBe('https://api.example/public/unsubscribe?link=a.b.c');
  });
});

describe('what an unsubscribe turns off', () => {
  const entry = { at: '2026-03-01T10:00:00.000Z', source: 'one_click' as const };

  it('a marketing message type is its own kind; a custom rule is only when the business marked it', () => {
    expect(marketingKindOf('booking_follow_up', undefined)).toBe('booking_follow_up');
    expect(marketingKindOf('booking_invitation', undefined)).toBe('booking_invitation');
    expect(marketingKindOf('booking_reminder', undefined)).toBeUndefined();
    expect(marketingKindOf('booking_confirmation', { id: 'R1', marketing: true })).toBe('rule.R1');
    expect(marketingKindOf('booking_confirmation', { id: 'R1', marketing: false })).toBeUndefined();
  });

  it('a kind stops that kind only; marketing stops every marketing kind; all stops everything but auto-replies', () => {
    const off = (key: string) => ({ email: { [key]: entry } });
    const followUp = { kind: 'booking_follow_up', reply: false };
    const reminder = { kind: undefined, reply: false };
    const autoReply = { kind: undefined, reply: true };
    expect(isUnsubscribed(off('booking_follow_up'), 'email', followUp)).toBe(true);
    expect(isUnsubscribed(off('booking_follow_up'), 'email', { kind: 'booking_invitation', reply: false })).toBe(false);
    expect(isUnsubscribed(off('booking_follow_up'), 'email', reminder)).toBe(false);
    expect(isUnsubscribed(off('booking_follow_up'), 'sms', followUp)).toBe(false);
    expect(isUnsubscribed(off('marketing'), 'email', { kind: 'rule.R1', reply: false })).toBe(true);
    expect(isUnsubscribed(off('marketing'), 'email', reminder)).toBe(false);
    expect(isUnsubscribed(off('all'), 'email', reminder)).toBe(true);
    expect(isUnsubscribed(off('all'), 'email', autoReply)).toBe(false);
    expect(isUnsubscribed(undefined, 'email', followUp)).toBe(false);
  });

  it('writes the key of the scope, and changes nothing when it is already there', () => {
    expect(unsubscribeKey('kind', 'booking_follow_up')).toBe('booking_follow_up');
    // A preferences link names no kind: its "this kind" is all marketing.
    expect(unsubscribeKey('kind', undefined)).toBe('marketing');
    expect(unsubscribeKey('all', 'booking_follow_up')).toBe('all');
    const first = withUnsubscribe(undefined, 'email', 'booking_follow_up', entry);
    expect(first).toEqual({ email: { booking_follow_up: entry } });
    expect(withUnsubscribe(first, 'email', 'booking_follow_up', { at: '2026-03-02T10:00:00.000Z', source: 'preferences_page' })).toBeUndefined();
    expect(withUnsubscribe(first, 'email', 'all', entry)).toEqual({ email: { booking_follow_up: entry, all: entry } });
  });
});

describe('the pages', () => {
  it('offers the choice in the client’s language, escaping the business name, posting back to the same link', () => {
    const page = choicePage('es', 'Salón <Lucía>', 'a.b.c', true);
    expect(page).toContain('<html lang="es">');
    expect(page).toContain('Elige qué correos te envía Salón &lt;Lucía&gt;.');
    expect(page).toContain('<form method="post" action="?link=a.b.c">');
    expect(page).toContain('value="kind" checked');
    expect(page).toContain('value="all"');
    expect(choicePage('en', 'Acme', 'a.b.c', false)).not.toContain('value="kind"');
    expect(donePage('fr', 'Acme', 'marketing')).toContain('Acme ne vous enverra plus d’e-mails promotionnels.');
  });

  it('the neutral page names no one and says it in every language', () => {
    expect(invalidLinkPage).toContain('This link is not valid or has expired.');
    expect(invalidLinkPage).toContain('Este enlace no es válido o ha caducado.');
    expect(invalidLinkPage).toContain('Ce lien n’est pas valide ou a expiré.');
    expect(invalidLinkPage).toContain('Questo link non è valido o è scaduto.');
  });
});
