import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { correlationIdOf, currentCorrelationId, withCorrelationId } from '#correlation';
import { createDocumentClient, dynamoRecordStore } from '#adapters/dynamodb/record-store.ts';
import { httpHandler } from '#http/http-handler.ts';
import type { AnyRoute } from '#http/route.ts';
import type { AppDeps } from '#http/deps.ts';
import { apiEvent, lambdaContext, parsed } from '../support/api-event.ts';

const dynamo = mockClient(DynamoDBDocumentClient);
beforeEach(() => dynamo.reset());

describe('correlation id of an API request', () => {
  it('is a well-formed X-Correlation-Id, else API Gateway\'s request id without its padding', () => {
    expect(correlationIdOf('spa-2f9c1e7a', 'JKJaXmPLvHcESHA=')).toBe('spa-2f9c1e7a');
    for (const header of [undefined, 'short', 'has space in it', 'a'.repeat(129), 'x"; drop']) expect(correlationIdOf(header, 'JKJaXmPLvHcESHA='), String(header)).toBe('JKJaXmPLvHcESHA');
  });

  it('is the current one throughout the request\'s operation, and none after it', async () => {
    const route = { method: 'GET', path: '/probe', summary: 'probe', tag: 'test', auth: 'tenant', responses: { 200: { description: 'ok' } }, operation: async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return { status: 200, body: { correlationId: currentCorrelationId() } };
    } } as unknown as AnyRoute;
    const handler = httpHandler([route], () => ({}) as AppDeps);
    const given = await handler(apiEvent({ routeKey: 'GET /probe', headers: { 'x-correlation-id': 'spa-2f9c1e7a' } }), lambdaContext);
    expect(parsed(given)).toEqual({ correlationId: 'spa-2f9c1e7a' });
    const fallback = await handler(apiEvent({ routeKey: 'GET /probe' }), lambdaContext);
    expect(parsed(fallback)).toEqual({ correlationId: 'req-1' });
    expect(currentCorrelationId()).toBeUndefined();
  });
});

describe('the record store', () => {
  const store = dynamoRecordStore(createDocumentClient(), 'records');
  const location = { id: 'L1', version: 1, name: 'Centro', timeZone: 'Europe/Madrid', createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' };

  it('writes the current correlation id beside the record, for the stream to carry to the evaluator', async () => {
    dynamo.on(PutCommand).resolves({});
    await withCorrelationId('spa-2f9c1e7a', () => store.put('acme', 'location', location as never, { expected: 'absent' }));
    await store.put('acme', 'location', { ...location, id: 'L2' } as never, { expected: 'absent' });
    const items = dynamo.commandCalls(PutCommand).map((call) => call.args[0].input.Item!);
    expect(items[0]).toMatchObject({ id: 'L1', correlationId: 'spa-2f9c1e7a' });
    expect(items[1]).not.toHaveProperty('correlationId');
  });

  it('reads a record without it', async () => {
    dynamo.on(GetCommand).resolves({ Item: { pk: 'T#acme', sk: 'location#L1', kind: 'location', tenantId: 'acme', correlationId: 'spa-2f9c1e7a', ...location } });
    const read = await store.get('acme', 'location', 'L1');
    expect(read).toBeDefined();
    expect(read).not.toHaveProperty('correlationId');
  });
});
