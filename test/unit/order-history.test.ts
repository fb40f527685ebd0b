import { describe, expect, it } from 'vitest';
import { DomainError } from '#domain/errors.ts';
import { convertLead, type Lead } from '#domain/leads.ts';
import type { Client } from '#domain/clients.ts';
import type { ConversationMessage } from '#domain/messages/conversation.ts';
import { feedPage, orderEvents, orderFeed, orderMessagePrefix } from '#domain/orders.ts';

const order = (version: number, updatedAt: string, fields: Record<string, unknown> = {}) => ({
  id: 'O1',
  clientId: 'C1',
  locationId: 'L1',
  title: 'Repair screen',
  status: 'New',
  scheduledAt: '2026-03-30T09:00:00+02:00',
  version,
  createdAt: '2026-03-01T10:00:00.000Z',
  updatedAt,
  ...fields,
});

describe('order history', () => {
  it('records the creation with the status and time the order started with', () => {
    const created = order(1, '2026-03-01T10:00:00.000Z');
    expect(orderEvents('acme', undefined, created)).toEqual([
      {
        id: 'O1.000000001.0',
        orderId: 'O1',
        orderVersion: 1,
        change: { type: 'created', at: '2026-03-01T10:00:00.000Z', status: 'New', scheduledAt: '2026-03-30T09:00:00+02:00' },
        version: 1,
        createdAt: '2026-03-01T10:00:00.000Z',
        updatedAt: '2026-03-01T10:00:00.000Z',
      },
    ]);
  });

  it('records a status change and a schedule change made by one write, each from → to', () => {
    const before = order(3, '2026-03-02T10:00:00.000Z');
    const after = order(4, '2026-03-03T10:00:00.000Z', { status: 'Ready', scheduledAt: null });
    const events = orderEvents('acme', before, after);
    expect(events.map(({ id, change }) => ({ id, change }))).toEqual([
      { id: 'O1.000000004.0', change: { type: 'status_changed', from: 'New', to: 'Ready', at: '2026-03-03T10:00:00.000Z' } },
      { id: 'O1.000000004.1', change: { type: 'schedule_changed', from: '2026-03-30T09:00:00+02:00', to: null, at: '2026-03-03T10:00:00.000Z' } },
    ]);
  });

  it('records nothing for a write that changes neither status nor time, nor for the same time in another offset', () => {
    expect(orderEvents('acme', order(1, 'x'), order(2, 'y', { title: 'Replace battery' }))).toEqual([]);
    expect(orderEvents('acme', order(1, 'x'), order(2, 'y', { scheduledAt: '2026-03-30T07:00:00Z' }))).toEqual([]);
  });

  it('gives ids that sort in write order past version 9', () => {
    const ids = [9, 10, 100].map((version) => orderEvents('acme', order(version - 1, 'x'), order(version, 'y', { status: `S${version}` }))[0]!.id);
    expect([...ids].sort()).toEqual(ids);
  });

  it('finds the order’s messages by the id they are given (entity first), and not those of an order whose id extends it', () => {
    expect('order.O1.v2.system.order_status_changed.sms'.startsWith(orderMessagePrefix('O1'))).toBe(true);
    expect('order.O12.v2.system.order_status_changed.sms'.startsWith(orderMessagePrefix('O1'))).toBe(false);
  });
});

describe('order feed', () => {
  const created = orderEvents('acme', undefined, order(1, '2026-03-01T10:00:00.000Z'));
  const moved = orderEvents('acme', order(1, 'x'), order(2, '2026-03-02T10:00:00.000Z', { status: 'Ready' }));
  const message = (id: string, createdAt: string, fields: Partial<ConversationMessage> = {}): ConversationMessage => ({
    id,
    clientId: 'C1',
    direction: 'outbound',
    channel: 'sms',
    messageType: 'order_status_changed',
    audience: 'client',
    status: 'sent',
    attempts: 1,
    createdAt,
    updatedAt: createdAt,
    ...fields,
  });
  // Delivery records a message at the same instant as the change, in the same millisecond.
  const sent = message('order.O1.v2.R1', '2026-03-02T10:00:00.000Z');
  const refused = message('order.O1.v1.R2', '2026-03-01T10:00:01.000Z', { channel: 'email', status: 'not_sent', reason: 'no_consent', messageType: 'order_created' });

  it('merges changes and messages by time, a change before the messages it caused', () => {
    expect(orderFeed([...moved, ...created], [sent, refused]).map((item) => item.entry)).toEqual([
      { type: 'created', at: '2026-03-01T10:00:00.000Z', status: 'New', scheduledAt: '2026-03-30T09:00:00+02:00' },
      { type: 'message', at: '2026-03-01T10:00:01.000Z', messageId: 'order.O1.v1.R2', messageType: 'order_created', channel: 'email', audience: 'client', status: 'not_sent', reason: 'no_consent' },
      { type: 'status_changed', at: '2026-03-02T10:00:00.000Z', from: 'New', to: 'Ready' },
      { type: 'message', at: '2026-03-02T10:00:00.000Z', messageId: 'order.O1.v2.R1', messageType: 'order_status_changed', channel: 'sms', audience: 'client', status: 'sent' },
    ]);
  });

  it('pages after the cursor’s entry and says when there is no more', () => {
    const feed = orderFeed([...created, ...moved], [sent, refused]);
    const first = feedPage(feed, undefined, 3);
    expect(first.items.map((entry) => entry.type)).toEqual(['created', 'message', 'status_changed']);
    expect(first.last).toBe(feed[2]!.key);
    const second = feedPage(feed, first.last!, 3);
    expect(second).toEqual({ items: [feed[3]!.entry], last: null });
    expect(feedPage(feed, undefined, 4).last).toBeNull();
  });
});

describe('lead conversion', () => {
  const now = new Date('2026-03-05T12:00:00Z');
  const lead: Lead = { id: 'L1', clientId: 'C1', source: 'website', status: 'New', version: 2, createdAt: 'a', updatedAt: 'a' };
  const client: Client = { id: 'C1', firstName: 'Ana', consent: { email: true, sms: false }, status: 'lead', customFields: {}, version: 3, createdAt: 'a', updatedAt: 'a' };

  it('marks the lead converted, keeps it, and turns a lead client active', () => {
    const converted = convertLead(lead, client, 'Won', now);
    expect(converted.lead).toEqual({ ...lead, status: 'Won', convertedAt: '2026-03-05T12:00:00.000Z', version: 3, updatedAt: '2026-03-05T12:00:00.000Z' });
    expect(converted.client).toEqual({ ...client, status: 'active', version: 4, updatedAt: '2026-03-05T12:00:00.000Z' });
  });

  it('leaves a client that is no longer a lead as it is', () => {
    expect(convertLead(lead, { ...client, status: 'archived' }, 'New', now).client).toBeUndefined();
  });

  it('refuses to convert a lead twice', () => {
    const again = () => convertLead({ ...lead, convertedAt: '2026-03-04T00:00:00.000Z' }, client, 'Won', now);
    expect(again).toThrow(DomainError);
    expect(again).toThrow(/already converted/);
  });
});
