import type { RecordStore } from '#domain/record-store.ts';
import type { DeliveryQueue, MessageLog } from '#domain/messages/ports.ts';
import type { DocumentStorage } from '#domain/document-storage.ts';
import type { RateLimiter } from '#domain/rate-limit.ts';
import type { UnsubscribeKey } from '#domain/unsubscribe-token.ts';
import type { SmsUsage } from '#domain/plans.ts';

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
  /** Checks the tokens of unsubscribe links (`/public/unsubscribe`). */
  readonly unsubscribeKey: UnsubscribeKey;
  /** The business's monthly SMS counter, as `GET /usage` shows it. */
  readonly smsUsage: SmsUsage;
  readonly now: () => Date;
  readonly newId: () => string;
  /**
   * The secret CloudFront adds to every request it forwards (functions/http/edge.ts): with it, public
   * routes serve only requests through the edge, and read the sender's address from CloudFront's
   * header. Set in every deployed function; absent in local mode, which has no edge.
   */
  readonly edgeSecret?: string;
}
