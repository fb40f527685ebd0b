import { createHash } from 'node:crypto';
import { DomainError, invalidInput } from '#domain/errors.ts';

/**
 * Idempotent creates. A creating request that carries an `Idempotency-Key` is remembered, per
 * tenant and per operation (method and route), with the answer it got: a repeat with the same key
 * and the same request gets that answer and changes nothing; the same key on another request is
 * refused. Keys are remembered for a day.
 */

/** Printable ASCII, 1 to 255 characters: a UUID, a ULID or any token the client keeps for its retries. */
export const idempotencyKeyPattern = /^[\x20-\x7e]{1,255}$/;

export const rememberedSeconds = 24 * 60 * 60;

/** The `Idempotency-Key` header, if sent (HTTP drops surrounding whitespace, so we do too). */
export function idempotencyKeyOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const key = header.trim();
  if (!idempotencyKeyPattern.test(key)) {
    throw invalidInput([{ path: 'Idempotency-Key', message: 'must be 1 to 255 printable ASCII characters (a UUID works)' }]);
  }
  return key;
}

/** JSON with every object's keys sorted, so that two equal requests serialize alike whatever their key order. */
function canonicalJson(value: object): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

/** What a request is, for telling a retry from another request: a hash of what it acts on (path, query, body as validated). */
export function requestFingerprint(request: { readonly params: unknown; readonly query: unknown; readonly body: unknown }): string {
  return createHash('sha256').update(canonicalJson({ params: request.params ?? null, query: request.query ?? null, body: request.body ?? null })).digest('base64url');
}

/** The key a request holds while its operation runs. */
export interface IdempotencyClaim {
  /** Method and route, e.g. `POST /clients/{id}/messages`: the same key on two operations is two keys. */
  readonly operation: string;
  readonly key: string;
  readonly fingerprint: string;
  /** Epoch seconds, the table's TTL attribute. */
  readonly expiresAt: number;
}

export function idempotencyClaim(operation: string, key: string, request: Parameters<typeof requestFingerprint>[0], now: Date): IdempotencyClaim {
  return { operation, key, fingerprint: requestFingerprint(request), expiresAt: Math.floor(now.getTime() / 1000) + rememberedSeconds };
}

/** The answer as the first request got it: status, body and headers (ETag, Location). */
export interface IdempotentAnswer {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface QueuedDelivery {
  readonly id: string;
  readonly body: string;
}

/** A key with what its request did: written with the request's own write, so both exist or neither. */
export interface IdempotencyRecord extends IdempotencyClaim {
  readonly answer: IdempotentAnswer;
  /**
   * Delivery requests the first request queued after remembering its key. A repeat queues them
   * again (delivery sends each message once), so a crash between the two loses no message.
   */
  readonly queued?: readonly QueuedDelivery[];
}

/** TTL deletes lazily: an expired record may still be read, and is as good as gone. */
export const isLive = (record: Pick<IdempotencyRecord, 'expiresAt'>, now: Date): boolean => record.expiresAt > Math.floor(now.getTime() / 1000);

/** The first answer, for a repeat of its request; 422 for the same key on a different request. */
export function replayedAnswer(stored: IdempotencyRecord, claim: IdempotencyClaim): IdempotentAnswer {
  if (stored.fingerprint !== claim.fingerprint) {
    throw new DomainError(
      'idempotency_key_reused',
      `Idempotency-Key "${claim.key}" was already used for a different request to ${claim.operation}; use a new key for a new request`,
      { key: claim.key, operation: claim.operation },
    );
  }
  return stored.answer;
}

/** Thrown by the store when the key is already remembered: the request is a repeat (or reuses the key). */
export class IdempotencyKeyHeld extends Error {
  readonly stored: IdempotencyRecord;
  constructor(stored: IdempotencyRecord) {
    super(`Idempotency-Key ${stored.key} is held for ${stored.operation}`);
    this.name = 'IdempotencyKeyHeld';
    this.stored = stored;
  }
}

/** Another request with the key is being written at this moment: its answer is not there yet, so retry. */
export const idempotencyKeyInProgress = (key: string): DomainError =>
  new DomainError('idempotency_key_in_progress', `A request with Idempotency-Key "${key}" is still being processed; retry in a moment to get its answer`, {
    key,
    retryAfterSeconds: 1,
  });
