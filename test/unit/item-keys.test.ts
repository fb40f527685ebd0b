import { describe, expect, it } from 'vitest';
import { claimKey, itemKeys, listCondition } from '#adapters/dynamodb/item-keys.ts';
import { decodeCursor, encodeCursor } from '#adapters/dynamodb/cursor.ts';

describe('item keys', () => {
  const booking = { id: 'B1', clientId: 'C1', start: '2026-03-29T10:00:00+02:00', createdAt: '2026-01-01T00:00:00.000Z' };

  it('puts a booking under its tenant, by start time in UTC and under its client', () => {
    expect(itemKeys('acme', 'booking', booking)).toEqual({
      pk: 'T#acme',
      sk: 'booking#B1',
      gsi1pk: 'T#acme#booking',
      gsi1sk: '2026-03-29T08:00:00.000Z#B1',
      gsi2pk: 'T#acme#client#C1',
      gsi2sk: 'booking#2026-03-29T08:00:00.000Z#B1',
    });
  });

  it('leaves an unscheduled order out of the time index but under its client by creation', () => {
    const keys = itemKeys('acme', 'order', { id: 'O1', clientId: 'C1', scheduledAt: null, createdAt: '2026-01-01T00:00:00.000Z' });
    expect(keys.gsi1pk).toBeUndefined();
    expect(keys.gsi2sk).toBe('order#2026-01-01T00:00:00.000Z#O1');
  });

  it('keys invoice due dates as calendar dates', () => {
    expect(itemKeys('acme', 'invoice', { id: 'I1', clientId: 'C1', dueDate: '2026-02-01', createdAt: 'x' }).gsi1sk).toBe('2026-02-01#I1');
  });

  it('keys notifications in the time index by when they were made', () => {
    const keys = itemKeys('acme', 'notification', { id: 'lead.L1.v1.R1', clientId: 'C1', createdAt: '2026-04-01T08:00:00.000Z' });
    expect(keys).toMatchObject({ gsi1pk: 'T#acme#notification', gsi1sk: '2026-04-01T08:00:00.000Z#lead.L1.v1.R1' });
  });

  it('keeps tenant claims in the tenant partition and global claims apart', () => {
    expect(claimKey('acme', { scope: 'tenant', name: 'invoice-number', field: 'number', value: 'INV-1' })).toEqual({ pk: 'T#acme', sk: 'claim#invoice-number#INV-1' });
    expect(claimKey('acme', { scope: 'global', name: 'slug', field: 'slug', value: 'acme' })).toEqual({ pk: 'claim#slug#acme', sk: 'claim' });
  });
});

describe('list conditions', () => {
  it('lists by creation within the kind prefix', () => {
    expect(listCondition('acme', 'client', { by: 'created' })).toMatchObject({ expression: 'pk = :pk AND begins_with(sk, :prefix)', values: { ':pk': 'T#acme', ':prefix': 'client#' } });
  });

  it('gives [from, to) on the time index, in UTC', () => {
    const condition = listCondition('acme', 'booking', { by: 'time', from: '2026-03-29T00:00:00+02:00', to: '2026-03-30T00:00:00+02:00' });
    expect(condition).toMatchObject({ index: 'ByTime', expression: 'gsi1pk = :pk AND gsi1sk BETWEEN :lower AND :upper' });
    expect(condition.values).toEqual({ ':pk': 'T#acme#booking', ':lower': '2026-03-28T22:00:00.000Z', ':upper': '2026-03-29T22:00:00.000Z' });
    // A booking starting exactly at `to` sorts after the upper bound, so it is excluded.
    expect(`2026-03-29T22:00:00.000Z#B1` > condition.values[':upper']!).toBe(true);
  });

  it('uses open ranges and the client index', () => {
    expect(listCondition('acme', 'booking', { by: 'time', from: '2026-03-29T00:00:00Z' }).expression).toBe('gsi1pk = :pk AND gsi1sk >= :lower');
    expect(listCondition('acme', 'booking', { by: 'time', to: '2026-03-29T00:00:00Z' }).expression).toBe('gsi1pk = :pk AND gsi1sk < :upper');
    expect(listCondition('acme', 'booking', { by: 'time' }).expression).toBe('gsi1pk = :pk');
    expect(listCondition('acme', 'invoice', { by: 'client', clientId: 'C1' })).toMatchObject({
      index: 'ByClient',
      expression: 'gsi2pk = :pk AND begins_with(gsi2sk, :prefix)',
      values: { ':pk': 'T#acme#client#C1', ':prefix': 'invoice#' },
    });
  });

  it('keeps a client range open at one end within the kind, since all the client’s kinds share its partition', () => {
    const from = listCondition('acme', 'booking', { by: 'client', clientId: 'C1', from: '2026-03-29T00:00:00Z' });
    expect(from).toMatchObject({ expression: 'gsi2pk = :pk AND gsi2sk BETWEEN :lower AND :upper' });
    expect(from.values).toEqual({ ':pk': 'T#acme#client#C1', ':lower': 'booking#2026-03-29T00:00:00.000Z', ':upper': 'booking#\uffff' });
    expect('invoice#2026-01-01#I1' > from.values[':upper']!).toBe(true);
    expect('booking#2099-01-01T00:00:00.000Z#B1' < from.values[':upper']!).toBe(true);
    const to = listCondition('acme', 'invoice', { by: 'client', clientId: 'C1', to: '2026-03-29' });
    expect(to.values).toEqual({ ':pk': 'T#acme#client#C1', ':lower': 'invoice#', ':upper': 'invoice#2026-03-29' });
    expect('estimate#2026-01-01#E1' < to.values[':lower']!).toBe(true);
  });
});

describe('cursors', () => {
  const key = { pk: 'T#acme', sk: 'booking#B1', gsi1pk: 'T#acme#booking', gsi1sk: '2026#B1' };

  it('round-trips a key of the same query', () => {
    expect(decodeCursor(encodeCursor(key), 'T#acme', 'gsi1pk', 'T#acme#booking')).toEqual(key);
  });

  it('refuses garbage, foreign attributes and another tenant’s partition', () => {
    const refuse = (cursor: string) => expect(() => decodeCursor(cursor, 'T#acme', 'gsi1pk', 'T#acme#booking')).toThrow(/cursor/);
    refuse('not-base64-json');
    refuse(encodeCursor({ ...key, other: 'x' }));
    refuse(encodeCursor({ ...key, pk: 'T#evil' }));
    refuse(encodeCursor({ ...key, gsi1pk: 'T#evil#booking' }));
    refuse(Buffer.from('[1]').toString('base64url'));
  });
});
