import type { RecordStore } from '#domain/record-store.ts';
import type { DeliveryQueue, MessageLog } from '#domain/messages/ports.ts';
import type { DocumentStorage } from '#domain/document-storage.ts';
import type { RateLimiter } from '#domain/rate-limit.ts';

/** What operations need from the outside world; tests pass their own. */
export interface AppDeps {
  readonly store: RecordStore;
  readonly messages: MessageLog;
  /** Messages sent from the card (a payment reminder now, a free-form message) go straight to delivery. */
  readonly queue: DeliveryQueue;
  readonly documents: DocumentStorage;
  /** Imports of clients go on in chunks through their own queue (the worker, functions/lambdas/client-import.ts). */
  readonly importQueue: DeliveryQueue;
  /** Limits the public widget endpoints per business. */
  readonly rateLimiter: RateLimiter;
  readonly now: () => Date;
  readonly newId: () => string;
}
