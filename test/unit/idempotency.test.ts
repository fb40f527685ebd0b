import { describe, expect, it } from 'vitest';
import { DomainError } from '#domain/errors.ts';
import { idempotencyClaim, idempotencyKeyOf, isLive, rememberedSeconds, replayedAnswer, requestFingerprint, type IdempotencyRecord } from '#domain/idempotency.ts';
import { idempotencyItemKey } from '#adapters/dynamodb/item-keys.ts';
import { thrown } from '../support/thrown.ts';

const now = new Date('2026-06-01T10:00:00.000Z');
const request = { params: { id: 'C1' }, query: {}, body: { channel: 'email', text: 'Hola', tags: ['a', 'b'], nested: { x: 1, y: [{ b: 2, a: 1 }] } } };

describe('the Idempotency-Key header', () => {
  it.each([
    ['a UUID', '6f1c1e6e-3b9a-4c1e-9a51-0c4d7c1f2a3b'],
    ['a single character', 'k'],
    ['255 characters', 'k'.repeat(255)],
    ['printable ASCII with spaces and symbols', 'order #42 / retry: {1}!~'],
  ])('takes %s', (_name, key) => {
    expect(idempotencyKeyOf(key)).toBe(key);
  });

  it('drops surrounding whitespace, as HTTP does, and is absent when not sent', () => {
    expect(idempotencyKeyOf('  abc \t')).toBe('abc');
    expect(idempotencyKeyOf(undefined)).toBeUndefined();
  });

  it.each([
    ['empty', ''],
    ['only spaces', '   '],
    ['256 characters', 'k'.repeat(256)],
    ['not ASCII', 'clé'],
    ['an emoji', 'key-🙂'],
    ['a control character inside', 'a\u0007b'],
    ['DEL', 'a\u007fb'],
  ])('refuses %s with a 400 naming the header', (_name, key) => {
    const error = thrown(() => idempotencyKeyOf(key));
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'validation_failed', details: { issues: [{ path: 'Idempotency-Key', message: expect.stringContaining('printable ASCII') }] } });
  });
});

describe('the request fingerprint', () => {
  it('is the same whatever the order of object keys, at any depth', () => {
    const reordered = { query: {}, body: { nested: { y: [{ a: 1, b: 2 }], x: 1 }, tags: ['a', 'b'], text: 'Hola', channel: 'email' }, params: { id: 'C1' } };
    expect(requestFingerprint(reordered)).toBe(requestFingerprint(request));
  });

  it.each([
    ['another body value', { ...request, body: { ...request.body, text: 'Adiós' } }],
    ['another array order', { ...request, body: { ...request.body, tags: ['b', 'a'] } }],
    ['one field more', { ...request, body: { ...request.body, subject: 'Hola' } }],
    ['another path', { ...request, params: { id: 'C2' } }],
    ['another query', { ...request, query: { limit: 1 } }],
    ['a number as a string', { ...request, body: { ...request.body, nested: { ...request.body.nested, x: '1' } } }],
    ['a value moved from the body to the path', { params: { id: 'C1', text: 'Hola' }, query: {}, body: { ...request.body, text: undefined } }],
  ])('differs for %s', (_name, other) => {
    expect(requestFingerprint(other)).not.toBe(requestFingerprint(request));
  });

  it('is a sha-256 digest, short enough to store beside every key', () => {
    expect(requestFingerprint(request)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('claims and replays', () => {
  const claim = idempotencyClaim('POST /clients/{id}/messages', 'k-1', request, now);
  const stored: IdempotencyRecord = { ...claim, answer: { status: 202, body: { messageId: 'm1', status: 'queued' } } };

  it('keeps a key for a day from the request, in epoch seconds', () => {
    expect(claim).toEqual({ operation: 'POST /clients/{id}/messages', key: 'k-1', fingerprint: requestFingerprint(request), expiresAt: now.getTime() / 1000 + rememberedSeconds });
    expect(rememberedSeconds).toBe(86_400);
  });

  it('is live until its expiry second, then as good as gone', () => {
    expect(isLive(stored, new Date(now.getTime() + (rememberedSeconds - 1) * 1000))).toBe(true);
    expect(isLive(stored, new Date(now.getTime() + rememberedSeconds * 1000))).toBe(false);
  });

  it('replays the first answer for the same request', () => {
    expect(replayedAnswer(stored, idempotencyClaim(claim.operation, 'k-1', structuredClone(request), new Date(now.getTime() + 60_000)))).toBe(stored.answer);
  });

  it('refuses the key on another request with 422’s code, naming the key and the operation', () => {
    const other = idempotencyClaim(claim.operation, 'k-1', { ...request, body: { ...request.body, text: 'Adiós' } }, now);
    const error = thrown(() => replayedAnswer(stored, other));
    expect(error).toMatchObject({ code: 'idempotency_key_reused', details: { key: 'k-1', operation: 'POST /clients/{id}/messages' } });
    expect((error as Error).message).toContain('"k-1"');
  });
});

describe('the idempotency item key', () => {
  it('lives in the tenant’s partition, by operation then key, whatever the key holds', () => {
    expect(idempotencyItemKey('acme', 'POST /bookings', 'a#b c')).toEqual({ pk: 'T#acme', sk: 'idempotency#POST /bookings#a#b c' });
    expect(idempotencyItemKey('other', 'POST /bookings', 'k')).not.toEqual(idempotencyItemKey('acme', 'POST /bookings', 'k'));
    expect(idempotencyItemKey('acme', 'POST /clients', 'k')).not.toEqual(idempotencyItemKey('acme', 'POST /bookings', 'k'));
  });
});
