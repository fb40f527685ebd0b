import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The correlation id of the work in progress: one id that follows a request from the API through
 * the record it wrote (the item's `correlationId` attribute), its stream record and the delivery
 * request (`correlationId` of the intent) to the provider call, so one grep finds a booking's whole
 * path to its SMS. It lives in async context rather than in deps or domain types: only the edges
 * read it (the record store writes it, the senders log and tag it), and nothing decides on it.
 */
const context = new AsyncLocalStorage<string>();

/** An incoming X-Correlation-Id is taken only in this shape: it goes into logs and SES tags verbatim. */
export const CORRELATION_ID = /^[A-Za-z0-9_-]{8,128}$/;

export const correlationHeader = 'x-correlation-id';

/**
 * The id of one API request: the caller's X-Correlation-Id when it is well formed (an SPA or a
 * client system that wants to follow its own request), else API Gateway's request id, which its
 * access logs carry too (its `=` padding dropped, to fit SES tag values).
 */
export function correlationIdOf(header: string | undefined, requestId: string): string {
  if (header !== undefined && CORRELATION_ID.test(header)) return header;
  return requestId.replace(/=+$/, '');
}

/** Runs `work` with `id` as the current correlation id (none: `work` runs without one). */
export function withCorrelationId<T>(id: string | undefined, work: () => T): T {
  return id === undefined ? context.exit(work) : context.run(id, work);
}

export const currentCorrelationId = (): string | undefined => context.getStore();
