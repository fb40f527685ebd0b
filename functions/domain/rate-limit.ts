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

export type RateDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

export interface RateLimiter {
  /** Counts one request against `key`; refuses it once the window already holds `limit` requests. */
  take(key: string, limit: RateLimit, now: Date): Promise<RateDecision>;
}
