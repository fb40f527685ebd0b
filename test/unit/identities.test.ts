import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  claimKeyOf,
  dispatchKeyOf,
  idempotencyKeyOf,
  InvalidIdentity,
  messageIdOf,
  messageIdPrefixOf,
  parseClaimKey,
  parseIdempotencyKey,
  parseMessageId,
  parseRearmJobId,
  rearmJobIdOf,
  scheduleNameOf,
  type MessageIdParts,
} from '#domain/identities.ts';
import { messageEntityKinds, triggeringKinds } from '#domain/messages/message-types.ts';

const kind = fc.constantFrom(...messageEntityKinds);
// Record ids are ULIDs in practice; anything without a separator must do.
const recordId = fc.oneof(fc.stringMatching(/^[0-9A-Za-z_-]{1,64}$/), fc.string({ minLength: 1, unit: 'binary' }).filter((id) => !/[.@]/.test(id)));
const rule = fc
  .oneof(
    fc.constantFrom('system.booking_cancelled.sms', 'system.booking_reminder.1.email', 'system.auto_reply_contact_form.email', 'manual.free_form.01JQ3T0Z6YV0A8S6B3M4P9XK2D', '01JQ3T0Z6YV0A8S6B3M4P9XK2D'),
    fc.string({ minLength: 1, unit: 'binary' }).filter((text) => !text.includes('@')),
  )
  .filter((text) => !/^v\d+\./.test(text));
const dueAt = fc.oneof(fc.date({ noInvalidDate: true, min: new Date('1970-01-01'), max: new Date('9999-12-31') }).map((date) => date.toISOString()), fc.string({ minLength: 1 }).filter((text) => !text.includes('@')));
const version = fc.nat();

// Built without undefined keys, as parsing gives them.
const messageIdParts: fc.Arbitrary<MessageIdParts> = fc
  .record({ kind, id: recordId, version: fc.option(version, { nil: undefined }), rule, dueAt: fc.option(dueAt, { nil: undefined }) })
  .map(({ kind, id, version, rule, dueAt }) => ({ about: { kind, id, ...(version === undefined ? {} : { version }) }, rule, ...(dueAt === undefined ? {} : { dueAt }) }));

describe('message ids', () => {
  it('keep the formats stored data has', () => {
    expect(messageIdOf({ about: { kind: 'booking', id: 'B1', version: 3 }, rule: 'system.booking_cancelled.sms' })).toBe('booking.B1.v3.system.booking_cancelled.sms');
    expect(messageIdOf({ about: { kind: 'booking', id: 'B1' }, rule: 'system.booking_reminder.1.email', dueAt: '2026-03-28T08:00:00.000Z' })).toBe(
      'booking.B1.system.booking_reminder.1.email@2026-03-28T08:00:00.000Z',
    );
    expect(messageIdOf({ about: { kind: 'client', id: 'C1' }, rule: 'manual.free_form.K1' })).toBe('client.C1.manual.free_form.K1');
    expect(messageIdOf({ about: { kind: 'message', id: 'M1', version: 1 }, rule: 'system.auto_reply_contact_form.email' })).toBe('message.M1.v1.system.auto_reply_contact_form.email');
  });

  it('parse back into the parts they were built from', () => {
    fc.assert(
      fc.property(messageIdParts, (parts) => {
        expect(parseMessageId(messageIdOf(parts))).toStrictEqual(parts);
      }),
      { numRuns: 2000, seed: 1101 },
    );
  });

  it('parse only what building gives back, so no two spellings name one message', () => {
    const near = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.tuple(kind, recordId, fc.constantFrom('.v3.', '.v03.', '.v.', '.v-1.', '.', '..'), rule, fc.constantFrom('', '@', '@x', '@a@b')).map((pieces) => pieces.join('')),
    );
    fc.assert(
      fc.property(near, (text) => {
        const parts = parseMessageId(text);
        if (parts) expect(messageIdOf(parts)).toBe(text);
      }),
      { numRuns: 2000, seed: 1102 },
    );
    expect(parseMessageId('booking.B1.v03.system.x.sms')).toBeUndefined();
    expect(parseMessageId('bookings.B1.v3.system.x.sms')).toBeUndefined();
    expect(parseMessageId('booking.B1.system.x.sms@a@b')).toBeUndefined();
  });

  it('refuse parts that would make an id ambiguous, naming the part', () => {
    const refused: [MessageIdParts, RegExp][] = [
      [{ about: { kind: 'booking', id: 'B.1', version: 1 }, rule: 'r' }, /record id "B\.1" may not contain "\."/],
      [{ about: { kind: 'booking', id: 'B@1', version: 1 }, rule: 'r' }, /record id "B@1" may not contain "@"/],
      [{ about: { kind: 'booking', id: '', version: 1 }, rule: 'r' }, /record id "" is empty/],
      [{ about: { kind: 'booking', id: 'B1', version: -1 }, rule: 'r' }, /version -1/],
      [{ about: { kind: 'booking', id: 'B1', version: 1.5 }, rule: 'r' }, /version 1.5/],
      [{ about: { kind: 'nope' as 'booking', id: 'B1' }, rule: 'r' }, /kind "nope" is not one of/],
      [{ about: { kind: 'booking', id: 'B1' }, rule: 'a@b' }, /rule id "a@b" may not contain "@"/],
      [{ about: { kind: 'booking', id: 'B1' }, rule: '' }, /rule id "" is empty/],
      [{ about: { kind: 'booking', id: 'B1' }, rule: 'v3.system.x' }, /may not begin like a version/],
      [{ about: { kind: 'booking', id: 'B1' }, rule: 'r', dueAt: 'a@b' }, /due time "a@b" may not contain "@"/],
      [{ about: { kind: 'booking', id: 'B1' }, rule: 'r', dueAt: '' }, /due time "" is empty/],
    ];
    for (const [parts, message] of refused) expect(() => messageIdOf(parts), JSON.stringify(parts)).toThrow(message);
    expect(() => messageIdOf(refused[0]![0])).toThrow(InvalidIdentity);
  });

  it('start with their record’s prefix, and no other record’s', () => {
    expect(messageIdPrefixOf({ kind: 'order', id: 'O1' })).toBe('order.O1.');
    fc.assert(
      fc.property(messageIdParts, kind, recordId, (parts, otherKind, otherId) => {
        const same = parts.about.kind === otherKind && parts.about.id === otherId;
        expect(messageIdOf(parts).startsWith(messageIdPrefixOf({ kind: otherKind, id: otherId }))).toBe(same);
        expect(messageIdOf(parts).startsWith(messageIdPrefixOf(parts.about))).toBe(true);
      }),
      { numRuns: 1000, seed: 1103 },
    );
  });
});

describe('dispatch keys and schedule names', () => {
  it('name what one record change sends, as queue messages and schedules always have', () => {
    expect(dispatchKeyOf({ kind: 'booking', id: 'B1', version: 3 })).toBe('booking.B1.v3');
    expect(dispatchKeyOf({ kind: 'message', id: 'M1', version: 1 }, '2026-03-28T08:00:00.000Z')).toBe('message.M1.v1@2026-03-28T08:00:00.000Z');
    // Pinned: a schedule armed before a deploy is found (and replaced or deleted) after it.
    expect(scheduleNameOf('acme', messageIdOf({ about: { kind: 'booking', id: 'B1' }, rule: 'system.booking_reminder.1.email', dueAt: '2026-03-28T08:00:00.000Z' }))).toBe(
      'm-pM-da9pdKQ9m-vTISF_rKk-C-uyzPEDipeuVHzGffLk',
    );
  });

  it('stay within the 64 characters of [0-9A-Za-z_.-] EventBridge Scheduler allows, one per tenant and message', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), messageIdParts, fc.string({ minLength: 1, unit: 'binary' }), (tenantId, parts, otherTenant) => {
        const name = scheduleNameOf(tenantId, messageIdOf(parts));
        expect(name).toMatch(/^[0-9A-Za-z_.-]{1,64}$/);
        expect(scheduleNameOf(tenantId, messageIdOf(parts))).toBe(name);
        if (otherTenant !== tenantId) expect(scheduleNameOf(otherTenant, messageIdOf(parts))).not.toBe(name);
      }),
      { numRuns: 1000, seed: 1104 },
    );
  });
});

describe('re-arming job ids', () => {
  it('keep their stored format and parse back into their parts', () => {
    expect(rearmJobIdOf({ rules: { id: 'current', version: 2 }, entity: 'booking', page: 1 })).toBe('current.v2.booking.p1');
    const parts = fc.record({
      rules: fc.record({ id: recordId.filter((id) => !id.includes('.')), version }),
      entity: fc.constantFrom(...triggeringKinds),
      page: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    });
    fc.assert(
      fc.property(parts, (job) => {
        expect(parseRearmJobId(rearmJobIdOf(job))).toEqual(job);
      }),
      { numRuns: 1000, seed: 1107 },
    );
    expect(parseRearmJobId('current.v2.booking.p0')).toBeUndefined();
    expect(parseRearmJobId('current.v2.bookings.p1')).toBeUndefined();
  });

  it('refuse a rules id with the separator in it, and pages before the first', () => {
    expect(() => rearmJobIdOf({ rules: { id: 'a.b', version: 1 }, entity: 'booking', page: 1 })).toThrow(/rules id "a\.b" may not contain "\."/);
    expect(() => rearmJobIdOf({ rules: { id: 'current', version: 1 }, entity: 'booking', page: 0 })).toThrow(/page 0/);
  });
});

/** Keys made of a head without the separator and a tail of any characters: stored format, round trip, and what they refuse. */
describe.each([
  {
    what: 'claim keys',
    example: () => claimKeyOf({ name: 'invoice-number', value: 'INV#1' }),
    stored: 'claim#invoice-number#INV#1',
    roundTrip: (head: string, tail: string) => [parseClaimKey(claimKeyOf({ name: head, value: tail })), { name: head, value: tail }],
    foreign: () => parseClaimKey('idempotency#POST /x#k'),
    refused: [
      [() => claimKeyOf({ name: 'client#Email', value: 'a@example.com' }), /claim name "client#Email" may not contain "#"/],
      [() => claimKeyOf({ name: '', value: 'x' }), /claim name "" is empty/],
    ],
    seed: 1105,
  },
  {
    what: 'idempotency keys',
    example: () => idempotencyKeyOf({ operation: 'POST /bookings', key: 'a#b c' }),
    stored: 'idempotency#POST /bookings#a#b c',
    roundTrip: (head: string, tail: string) => [parseIdempotencyKey(idempotencyKeyOf({ operation: head, key: tail })), { operation: head, key: tail }],
    foreign: () => parseIdempotencyKey('claim#slug#acme'),
    refused: [[() => idempotencyKeyOf({ operation: 'POST /a#b', key: 'k' }), /operation "POST \/a#b" may not contain "#"/]],
    seed: 1106,
  },
] as const)('$what', ({ example, stored, roundTrip, foreign, refused, seed }) => {
  it('keep their stored format, parse back into both parts whatever the tail holds, and are not mistaken for another kind of key', () => {
    expect(example()).toBe(stored);
    fc.assert(
      fc.property(fc.string({ minLength: 1, unit: 'binary' }).filter((head) => !head.includes('#')), fc.string({ unit: 'binary' }), (head, tail) => {
        const [parsed, parts] = roundTrip(head, tail);
        expect(parsed).toStrictEqual(parts);
      }),
      { numRuns: 1000, seed },
    );
    expect(foreign()).toBeUndefined();
  });

  it('refuse a head that would swallow part of the tail', () => {
    for (const [build, message] of refused) expect(build).toThrow(message);
  });
});
