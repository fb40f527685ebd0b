import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, dynamoRecordStore } from '#adapters/dynamodb/record-store.ts';
import { MalformedRecord } from '#domain/record-kinds.ts';

/** getMany against a mocked BatchGetItem: each record parsed with its kind's schema once, when asked for. */
const dynamo = mockClient(DynamoDBDocumentClient);
beforeEach(() => dynamo.reset());
const store = dynamoRecordStore(createDocumentClient(), 'records');

const storedAt = { createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' };
const location = { pk: 'T#acme', sk: 'location#L1', kind: 'location', tenantId: 'acme', id: 'L1', version: 1, name: 'Centro', timeZone: 'Europe/Madrid', ...storedAt };
const malformed = { pk: 'T#acme', sk: 'location#L2', kind: 'location', tenantId: 'acme', id: 'L2', version: 1, name: 'Norte', ...storedAt };

describe('getMany', () => {
  it('parses each record once, with its defaults, however often it is asked for', async () => {
    dynamo.on(BatchGetCommand).resolves({ Responses: { records: [location] } });
    const loaded = await store.getMany('acme', [{ kind: 'location', id: 'L1' }, { kind: 'settings', id: 'current' }]);
    const first = loaded.get('location', 'L1');
    expect(first).toMatchObject({ id: 'L1', timeZone: 'Europe/Madrid', businessHours: { mon: [], sun: [] } });
    expect(first).not.toHaveProperty('pk');
    expect(loaded.get('location', 'L1')).toBe(first);
    expect(loaded.get('settings', 'current')).toBeUndefined();
  });

  it('fails only the read of a malformed record, when it is asked for', async () => {
    dynamo.on(BatchGetCommand).resolves({ Responses: { records: [location, malformed] } });
    const loaded = await store.getMany('acme', [{ kind: 'location', id: 'L1' }, { kind: 'location', id: 'L2' }]);
    expect(loaded.get('location', 'L1')?.name).toBe('Centro');
    expect(() => loaded.get('location', 'L2')).toThrow(MalformedRecord);
    expect(() => loaded.get('location', 'L2')).toThrow(/^Stored location L2 does not match its schema: .*at timeZone/);
  });
});
