import { describe, expect, it } from 'vitest';
import { emailEventOf } from '#adapters/ses/email-events.ts';
import { emailTagsFor } from '#adapters/ses/message-tags.ts';
import { emailEventTypes, outcomeOf, recordEmailEvent, type EmailEvent } from '#domain/messages/provider-events.ts';
import type { MessageOutcomes } from '#domain/messages/ports.ts';
import { sesEvent } from '../support/ses-events.ts';

const messageId = 'booking.01JD3M5X0Q7W8E9R2T4Y6U8I0O.v3.system.booking_cancelled.email';
const ours = Object.fromEntries(emailTagsFor({ tenantId: 'acme', messageId, messageType: 'booking_cancelled' }).map((tag) => [tag.Name!, [tag.Value!]]));
const event = (changes: Partial<EmailEvent> = {}): EmailEvent => ({
  type: 'Send',
  tenantId: 'acme',
  messageId,
  providerMessageId: 'ses-1',
  acceptedAt: '2026-03-01T10:00:00.123Z',
  ...changes,
});

describe('what an email event says about its message', () => {
  it('Send: the provider accepted it, at the time it took the email', () => {
    expect(outcomeOf(event())).toEqual({ kind: 'accepted', providerMessageId: 'ses-1', sentAt: '2026-03-01T10:00:00.123Z' });
  });

  it('Reject: it failed, with the provider\'s reason', () => {
    expect(outcomeOf(event({ type: 'Reject', rejectReason: 'Bad content' }))).toEqual({ kind: 'rejected', providerMessageId: 'ses-1', reason: 'failed: rejected: Bad content' });
  });

  it('delivery, bounce, complaint and delay: nothing yet', () => {
    for (const type of emailEventTypes.filter((t) => t !== 'Send' && t !== 'Reject')) expect(outcomeOf(event({ type })), type).toEqual({ kind: 'none' });
  });

  it('is written through the port with the time it was recorded, and not at all when it says nothing', async () => {
    const calls: unknown[] = [];
    const outcomes: MessageOutcomes = {
      providerAccepted: async (...args) => (calls.push(['accepted', ...args]), 'settled'),
      providerRejected: async (...args) => (calls.push(['rejected', ...args]), 'unchanged'),
    };
    const deps = { outcomes, now: () => new Date('2026-03-01T10:00:05Z') };
    expect(await recordEmailEvent(event(), deps)).toBe('settled');
    expect(await recordEmailEvent(event({ type: 'Reject', rejectReason: 'Bad content' }), deps)).toBe('unchanged');
    expect(await recordEmailEvent(event({ type: 'Delivery' }), deps)).toBe('ignored');
    expect(calls).toEqual([
      ['accepted', 'acme', messageId, { providerMessageId: 'ses-1', sentAt: '2026-03-01T10:00:00.123Z', at: '2026-03-01T10:00:05.000Z' }],
      ['rejected', 'acme', messageId, { providerMessageId: 'ses-1', reason: 'failed: rejected: Bad content', at: '2026-03-01T10:00:05.000Z' }],
    ]);
  });
});

describe('reading SES events from EventBridge', () => {
  it('reads a Send event: its message from the tags, SES\'s message id and time', () => {
    expect(emailEventOf(sesEvent('Send', ours, { messageId: 'ses-42', timestamp: '2026-03-01T10:00:00.123Z' }))).toEqual({
      event: { type: 'Send', tenantId: 'acme', messageId, providerMessageId: 'ses-42', acceptedAt: '2026-03-01T10:00:00.123Z' },
    });
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
