/** The rate limiter port: a count of requests per key and fixed time window, shared by every Lambda instance. */

export interface RateLimit {
  /** Requests allowed per window. */
  readonly limit: number;
  readonly windowSeconds: number;
}

export type RateDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

export interface RateLimiter {
  /** Counts one request against `key`; refuses it once the window already holds `limit` requests. */
  take(key: string, limit: RateLimit, now: Date): Promise<RateDecision>;
}
