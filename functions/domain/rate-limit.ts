import ipaddr from 'ipaddr.js';

/** The rate limiter port: a count of requests per key and fixed time window, shared by every Lambda instance. */

export interface RateLimit {
  /** Requests allowed per window. */
  readonly limit: number;
  readonly windowSeconds: number;
}

/**
 * Public requests one business's widgets may take per window, across all its public routes: far
 * above what real visitors of one business send, low enough that a flood is refused with 429 early.
 */
export const defaultPublicRateLimit: RateLimit = { limit: 60, windowSeconds: 60 };

/**
 * Public requests one sender may send one business's widgets per window (the business limit's):
 * more than a person sends, well under the business limit, so one abuser cannot use up the
 * business's budget and lock real visitors out.
 */
export const defaultPublicSenderRateLimit = 10;

/**
 * Who a per-sender limit counts, from the request's source address: an IPv4 address as it is, an
 * IPv6 one by its /64 network, since one site gets a whole /64 and could otherwise change address
 * at every request. Anything else shares one sender, so odd values cannot make new counters.
 */
export function senderOf(sourceIp: string): string {
  if (ipaddr.IPv4.isValidFourPartDecimal(sourceIp)) return sourceIp;
  if (!ipaddr.IPv6.isValid(sourceIp)) return 'unknown';
  const address = ipaddr.IPv6.parse(sourceIp);
  // An IPv4 address written as IPv6 (::ffff:a.b.c.d) is that IPv4 sender, not one /64 shared by all of them.
  if (address.isIPv4MappedAddress()) return address.toIPv4Address().toString();
  return `${address.parts.slice(0, 4).map((part) => part.toString(16)).join(':')}::/64`;
}

/**
 * The counters' keys. Each starts with the business, so the business's own scoped credentials reach
 * its counters and no other's (the `rate#` items' patterns in lib/messages-stack.ts are these).
 */
export const publicBusinessCounter = (tenantId: string): string => `public#${tenantId}`;
export const publicSenderCounter = (tenantId: string, sender: string): string => `${publicBusinessCounter(tenantId)}#sender#${sender}`;
export const unsubscribeCounter = (tenantId: string, clientId: string): string => `unsubscribe#${tenantId}#${clientId}`;

export type RateDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

export interface RateLimiter {
  /** Counts one request against `key`; refuses it once the window already holds `limit` requests. */
  take(key: string, limit: RateLimit, now: Date): Promise<RateDecision>;
}
