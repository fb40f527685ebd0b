import { SignJWT, jwtVerify } from 'jose';
import { channels, type Channel } from '#domain/messages/message-types.ts';

/**
 * The token of an unsubscribe link: a compact JWS (HS256) naming the business, the client, the
 * channel and, from a marketing message, its kind; it expires, so an old email's link stops working.
 * Signed and checked only here, with the key the wiring gives (Secrets Manager in AWS, a file locally).
 */

export interface UnsubscribeClaims {
  readonly tenantId: string;
  readonly clientId: string;
  readonly channel: Channel;
  /** The marketing kind the link turns off (`marketingKindOf`); absent on a transactional message's preferences link. */
  readonly kind?: string | undefined;
}

/** The key links are signed with (at least 256 bits), as the wiring provides it. */
export type UnsubscribeKey = () => Promise<Uint8Array>;

/** Long enough for an email read weeks later; short enough that a leaked link does not last forever. */
export const unsubscribeTokenSeconds = 90 * 24 * 3600;
const algorithm = 'HS256';
// Its own issuer and audience: no other token signed with an HS256 key could pass for one.
const issuer = 'client-messages/unsubscribe';
const audience = 'unsubscribe';
const epochSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);

export async function signUnsubscribeToken(key: Uint8Array, claims: UnsubscribeClaims, now: Date): Promise<string> {
  return new SignJWT({ t: claims.tenantId, c: claims.clientId, ch: claims.channel, ...(claims.kind ? { k: claims.kind } : {}) })
    .setProtectedHeader({ alg: algorithm })
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt(epochSeconds(now))
    .setExpirationTime(epochSeconds(now) + unsubscribeTokenSeconds)
    .sign(key);
}

/** The claims of a token this key signed that has not expired at `now`; undefined for any other string. */
export async function verifyUnsubscribeToken(key: Uint8Array, token: string, now: Date): Promise<UnsubscribeClaims | undefined> {
  try {
    const { payload } = await jwtVerify(token, key, { algorithms: [algorithm], issuer, audience, currentDate: now, requiredClaims: ['exp'] });
    const { t, c, ch, k } = payload;
    if (typeof t !== 'string' || typeof c !== 'string' || !channels.includes(ch as Channel) || (k !== undefined && typeof k !== 'string')) return undefined;
    return { tenantId: t, clientId: c, channel: ch as Channel, ...(k === undefined ? {} : { kind: k }) };
  } catch {
    return undefined;
  }
}

/** Where a link's token goes (its `link` parameter): the public page, under the API's public base URL. */
export const unsubscribePath = '/public/unsubscribe';
export const unsubscribeUrl = (publicBaseUrl: string, token: string): string => `${publicBaseUrl.replace(/\/+$/, '')}${unsubscribePath}?link=${encodeURIComponent(token)}`;
