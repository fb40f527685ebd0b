import { describe, expect, it } from 'vitest';
import { emailEventOf } from '#adapters/ses/email-events.ts';
import { emailTagsFor } from '#adapters/ses/message-tags.ts';
import fc from 'fast-check';
import {
  changeOf,
  deliveryRanks,
  deliveryStatusOf,
  emailEventTypes,
  movesFrom,
  recordEmailEvent,
  suppressionOf,
  type EmailEvent,
  type EmailEventsDeps,
  type RankedStatus,
} from '#domain/messages/provider-events.ts';
import { finalStatuses } from '#domain/messages/conversation.ts';
import { sesEvent } from '../support/ses-events.ts';

const messageId = 'booking.01JD3M5X0Q7W8E9R2T4Y6U8I0O.v3.system.booking_cancelled.email';
const ours = Object.fromEntries(emailTagsFor({ tenantId: 'acme', messageId, messageType: 'booking_cancelled' }).map((tag) => [tag.Name!, [tag.Value!]]));
const event = (changes: Partial<EmailEvent> = {}): EmailEvent => ({
  type: 'Send',
  tenantId: 'acme',
  messageId,
  providerMessageId: 'ses-1',
  acceptedAt: '2026-03-01T10:00:00.123Z',
  occurredAt: '2026-03-01T10:00:00.123Z',
  ...changes,
});
const at = '2026-03-01T10:00:05.000Z';
const bounce = (bounceType: string): EmailEvent =>
  event({ type: 'Bounce', occurredAt: '2026-03-01T10:00:02.000Z', recipient: 'ana@example.com', bounce: { bounceType, bounceSubType: 'General' }, diagnostic: 'smtp; 550 5.1.1 user unknown' });

describe('what an email event says about its message', () => {
  it('Send: settles a message still unsettled as sent, at the time SES took it, and marks it accepted either way', () => {
    expect(changeOf(event(), at)).toEqual({
      key: 'Send@2026-03-01T10:00:00.123Z',
      entry: { type: 'Send', at: '2026-03-01T10:00:00.123Z' },
      always: { set: { providerAccepted: true }, ifMissing: { providerMessageId: 'ses-1', sentAt: '2026-03-01T10:00:00.123Z' } },
      move: { to: 'sent', from: ['sending', 'unknown'], set: { providerMessageId: 'ses-1', sentAt: '2026-03-01T10:00:00.123Z', settledBy: 'ses_event', updatedAt: at } },
    });
  });

  it('Reject: rejected with the reason, and no claim that SES took it', () => {
    const change = changeOf(event({ type: 'Reject', rejectReason: 'Bad content' }), at);
    expect(change.move).toEqual({ to: 'rejected', from: ['sending', 'unknown', 'sent', 'delayed', 'delivered'], set: { updatedAt: at, reason: 'rejected: Bad content' } });
    expect(change.always).toEqual({ set: {}, ifMissing: { providerMessageId: 'ses-1' } });
    expect(change.entry).toEqual({ type: 'Reject', at: '2026-03-01T10:00:00.123Z', diagnostic: 'Bad content' });
  });

  it('Bounce: bounced, with its type and the SMTP diagnostic, kept under its own time', () => {
    const change = changeOf(bounce('Permanent'), at);
    expect(change.key).toBe('Bounce@2026-03-01T10:00:02.000Z');
    expect(change.entry).toEqual({ type: 'Bounce', at: '2026-03-01T10:00:02.000Z', diagnostic: 'Permanent/General: smtp; 550 5.1.1 user unknown' });
    expect(change.move).toMatchObject({ to: 'bounced', set: { reason: 'bounced: Permanent/General: smtp; 550 5.1.1 user unknown' } });
  });

  it('Delivery, DeliveryDelay and Complaint move to their statuses; each says SES took the email', () => {
    expect(deliveryStatusOf(event({ type: 'Delivery' }))).toBe('delivered');
    expect(deliveryStatusOf(event({ type: 'DeliveryDelay' }))).toBe('delayed');
    expect(deliveryStatusOf(event({ type: 'Complaint' }))).toBe('complained');
    for (const type of ['Delivery', 'DeliveryDelay', 'Complaint', 'Bounce'] as const) expect(changeOf(event({ type }), at).always.set, type).toEqual({ providerAccepted: true });
  });

  it('a hard bounce or a complaint suppresses the address, with its cause; a soft bounce does not', () => {
    expect(suppressionOf(bounce('Permanent'), messageId)).toEqual({
      address: 'ana@example.com',
      cause: { event: 'Bounce', messageId, at: '2026-03-01T10:00:02.000Z', diagnostic: 'Permanent/General: smtp; 550 5.1.1 user unknown' },
    });
    expect(suppressionOf(event({ type: 'Complaint', occurredAt: '2026-03-01T11:00:00.000Z', recipient: 'ana@example.com', diagnostic: 'abuse' }), messageId)).toEqual({
      address: 'ana@example.com',
      cause: { event: 'Complaint', messageId, at: '2026-03-01T11:00:00.000Z', diagnostic: 'abuse' },
    });
    expect(suppressionOf(bounce('Transient'), messageId)).toBeUndefined();
    expect(suppressionOf(event({ type: 'Delivery', recipient: 'ana@example.com' }), messageId)).toBeUndefined();
  });
});

describe('the order of delivery statuses', () => {
  const ranked = Object.keys(deliveryRanks) as RankedStatus[];
  const outcomes = ['delayed', 'delivered', 'bounced', 'complained', 'rejected'] as const;

  it('a status moves only upwards: never back, never to itself, and nothing leaves bounced, complained or rejected', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ranked), fc.constantFrom(...outcomes), (current, next) => {
        expect(movesFrom(next).includes(current)).toBe(deliveryRanks[current] < deliveryRanks[next]);
      }),
    );
    for (const end of ['bounced', 'complained', 'rejected'] as const) for (const next of outcomes) expect(movesFrom(next)).not.toContain(end);
  });

  it('whatever order the events come in, and however often, the message ends at the highest status of them all', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...outcomes), { minLength: 1, maxLength: 8 }), (events) => {
        let status: RankedStatus = 'sent';
        for (const next of events) if (movesFrom(next).includes(status)) status = next;
        expect(deliveryRanks[status]).toBe(Math.max(...events.map((next) => deliveryRanks[next])));
      }),
    );
  });

  it('statuses delivery decided (retrying, not_sent, failed) are never moved by an event', () => {
    for (const next of outcomes) for (const decided of ['retrying', 'not_sent', 'failed', 'received']) expect(movesFrom(next)).not.toContain(decided);
  });

  it('every outcome status counts as final for delivery: it is never sent again', () => {
    for (const status of outcomes) expect(finalStatuses).toContain(status);
  });
});

describe('recording an event', () => {
  it('writes the change through the port, then the suppression on the message\'s client, even when the message had the event already', async () => {
    const calls: unknown[] = [];
    const deps: EmailEventsDeps = {
      outcomes: { providerEvent: async (...args) => (calls.push(['event', ...args]), { write: 'unchanged', clientId: 'cl-1' }) },
      clients: { suppressEmail: async (...args) => (calls.push(['suppress', ...args]), 'settled') },
      now: () => new Date(at),
    };
    expect(await recordEmailEvent(bounce('Permanent'), deps)).toEqual({ message: 'unchanged', suppression: 'settled' });
    expect(calls[1]).toEqual(['suppress', 'acme', 'cl-1', suppressionOf(bounce('Permanent'), messageId), at]);
    calls.length = 0;
    expect(await recordEmailEvent(bounce('Transient'), deps)).toEqual({ message: 'unchanged' });
    expect(calls).toHaveLength(1);
  });

  it('suppresses nothing for a message that does not exist', async () => {
    const deps: EmailEventsDeps = {
      outcomes: { providerEvent: async () => ({ write: 'unchanged' }) },
      clients: { suppressEmail: async () => expect.unreachable('no client to suppress') },
      now: () => new Date(at),
    };
    expect(await recordEmailEvent(bounce('Permanent'), deps)).toEqual({ message: 'unchanged' });
  });
});

describe('reading SES events from EventBridge', () => {
  it('reads a Send event: its message from the tags, SES\'s message id and time', () => {
    expect(emailEventOf(sesEvent('Send', ours, { messageId: 'ses-42', timestamp: '2026-03-01T10:00:00.123Z' }))).toEqual({
      event: { type: 'Send', tenantId: 'acme', messageId, providerMessageId: 'ses-42', acceptedAt: '2026-03-01T10:00:00.123Z', occurredAt: '2026-03-01T10:00:00.123Z', recipient: 'ana@example.com' },
    });
  });

  it('reads a bounce: its type, the bounced recipient, its diagnostic and its own time', () => {
    const raw = sesEvent('Bounce', ours);
    (raw.detail as Record<string, unknown>).bounce = { ...((raw.detail as Record<string, unknown>).bounce as object), bouncedRecipients: [{ emailAddress: 'Ana@Example.com', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }] };
    expect(emailEventOf(raw)).toMatchObject({
      event: { type: 'Bounce', recipient: 'ana@example.com', occurredAt: '2026-03-01T10:00:02.000Z', bounce: { bounceType: 'Permanent', bounceSubType: 'General' }, diagnostic: 'smtp; 550 5.1.1 user unknown' },
    });
  });

  it('reads a complaint\'s feedback type, a delay\'s type and a delivery\'s SMTP answer', () => {
    const complaint = sesEvent('Complaint', ours);
    (complaint.detail as Record<string, unknown>).complaint = { ...((complaint.detail as Record<string, unknown>).complaint as object), complaintFeedbackType: 'abuse' };
    expect(emailEventOf(complaint)).toMatchObject({ event: { type: 'Complaint', recipient: 'ana@example.com', diagnostic: 'abuse', occurredAt: '2026-03-01T11:00:00.000Z' } });
    expect(emailEventOf(sesEvent('DeliveryDelay', ours))).toMatchObject({ event: { diagnostic: 'TransientCommunicationFailure', occurredAt: '2026-03-01T10:05:00.000Z' } });
    expect(emailEventOf(sesEvent('Delivery', ours))).toMatchObject({ event: { diagnostic: '250 2.6.0 Message received', occurredAt: '2026-03-01T10:00:01.912Z' } });
  });

  it('reads a Reject event\'s reason', () => {
    expect(emailEventOf(sesEvent('Reject', ours))).toMatchObject({ event: { type: 'Reject', rejectReason: 'Bad content' } });
  });

  it('reads every event type the configuration set publishes', () => {
    for (const type of emailEventTypes) expect(emailEventOf(sesEvent(type, ours)), type).toMatchObject({ event: { type } });
  });

  it('ignores, saying why, what is not an SES email event of one of our messages', () => {
    const send = sesEvent('Send', ours);
    const cases: [unknown, RegExp][] = [
      [undefined, /not an SES email event/],
      ['{}', /not an SES email event/],
      [{ ...send, source: 'aws.s3' }, /source/],
      [{ ...send, detail: { ...send.detail, eventType: 'Open' } }, /eventType/],
      [{ ...send, detail: { ...send.detail, mail: { ...send.detail.mail, messageId: '' } } }, /messageId/],
      [{ ...send, detail: { ...send.detail, mail: { ...send.detail.mail, timestamp: 'yesterday' } } }, /timestamp/],
      [{ ...send, detail: { ...send.detail, mail: { ...send.detail.mail, tags: { tenant: 'acme' } } } }, /tags/],
      [sesEvent('Send', {}), /no message of ours/],
      [sesEvent('Send', { tenant: ['acme'], message: ['not.base64'] }), /no message of ours/],
    ];
    for (const [raw, why] of cases) {
      const read = emailEventOf(raw);
      expect('ignored' in read && read.ignored, JSON.stringify(raw)?.slice(0, 80)).toMatch(why);
    }
  });
});
