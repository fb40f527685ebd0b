import { describe, expect, it } from 'vitest';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { areaHandler } from '../support/area-handler.ts';
import { apiEvent, lambdaContext, parsed } from '../support/api-event.ts';
import { filterEquals } from '../support/expressions.ts';

const { dynamo, handler, concurrentWrite, expectStaleRefused, expectQueryRefused } = areaHandler(() => import('#api/bookings.ts'));


const booking = { clientId: 'C1', locationId: 'L1', service: 'Haircut', start: '2026-03-29T10:00:00+02:00', end: '2026-03-29T10:30:00+02:00' };
const stored = { pk: 'T#acme', sk: 'booking#B1', kind: 'booking', tenantId: 'acme', id: 'B1', ...booking, status: 'confirmed', version: 2, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' };
const call = (event: Parameters<typeof handler>[0]) => handler(event, lambdaContext);

describe('POST /bookings', () => {
  it('creates a confirmed booking in one transaction that checks the client and location exist', async () => {
    dynamo.on(GetCommand).resolves({});
    dynamo.on(TransactWriteCommand).resolves({});
    const result = await call(apiEvent({ routeKey: 'POST /bookings', body: booking }));
    expect(result.statusCode).toBe(201);
    const body = parsed(result);
    expect(body).toMatchObject({ ...booking, status: 'confirmed', version: 1 });
    expect(result.headers).toMatchObject({ etag: '"1"', location: `/bookings/${body.id}` });

    expect(dynamo.commandCalls(GetCommand)[0]!.args[0].input.Key).toEqual({ pk: 'T#acme', sk: 'settings#current' });
    const items = dynamo.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items[0]!.Put).toMatchObject({ ConditionExpression: 'attribute_not_exists(pk)', Item: { pk: 'T#acme', gsi1pk: 'T#acme#booking', gsi2pk: 'T#acme#client#C1' } });
    expect(items.slice(1, 3).map((item) => item.ConditionCheck?.Key)).toEqual([
      { pk: 'T#acme', sk: 'client#C1' },
      { pk: 'T#acme', sk: 'location#L1' },
    ]);
    // The client must not be archived; the location counts the booking among its holders, in the same transaction.
    expect(items[1]!.ConditionCheck).toMatchObject({ ConditionExpression: 'attribute_exists(pk) AND #status <> :archived', ExpressionAttributeValues: { ':archived': 'archived' } });
    expect(items[3]!.Update).toMatchObject({
      Key: { pk: 'T#acme', sk: 'refs#location#L1' },
      UpdateExpression: 'ADD #h0 :h0, #total :total',
      ExpressionAttributeNames: { '#h0': 'booking', '#total': 'total' },
      ExpressionAttributeValues: { ':h0': 1, ':total': 1 },
    });
  });

  it('starts pending when the tenant approves bookings by hand', async () => {
    dynamo.on(GetCommand).resolves({ Item: { pk: 'T#acme', sk: 'settings#current', kind: 'settings', tenantId: 'acme', id: 'current', version: 1, bookingApproval: 'manual', orderStatuses: ['New'], leadStatuses: ['New'], createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' } });
    dynamo.on(TransactWriteCommand).resolves({});
    expect(parsed(await call(apiEvent({ routeKey: 'POST /bookings', body: booking }))).status).toBe('pending');
  });

  it('names the missing reference with a 400', async () => {
    dynamo.on(GetCommand).resolves({});
    dynamo.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }, { Code: 'None' }] }),
    );
    const result = await call(apiEvent({ routeKey: 'POST /bookings', body: booking }));
    expect(result.statusCode).toBe(400);
    expect(parsed(result).error.details.issues).toEqual([{ path: 'clientId', message: 'client C1 does not exist' }]);
  });

  it.each([
    ['malformed JSON', { body: '{"service": ' }, 400, 'malformed_json'],
    ['a body that is not JSON', { body: 'service=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415, 'unsupported_media_type'],
    ['an oversized body', { body: { ...booking, notes: 'x'.repeat(70_000) } }, 413, 'payload_too_large'],
    ['an unknown field', { body: { ...booking, colour: 'red' } }, 400, 'validation_failed'],
    ['a wrong type', { body: { ...booking, service: 7 } }, 400, 'validation_failed'],
    ['no tenant claim', { body: booking, tenantId: null }, 403, 'forbidden'],
  ] as const)('refuses %s with %s and sends nothing to DynamoDB', async (_name, options, status, code) => {
    const result = await call(apiEvent({ routeKey: 'POST /bookings', ...options }));
    expect(result.statusCode).toBe(status);
    expect(parsed(result).error.code).toBe(code);
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('names each bad field', async () => {
    const result = await call(apiEvent({ routeKey: 'POST /bookings', body: { ...booking, colour: 'red', start: 'tomorrow', service: '' } }));
    expect(parsed(result).error.details.issues.map((issue: { path: string }) => issue.path).sort()).toEqual(['colour', 'service', 'start']);
  });

  it('answers 500 without internals when DynamoDB fails unexpectedly', async () => {
    dynamo.on(GetCommand).rejects(new Error('socket hang up'));
    const result = await call(apiEvent({ routeKey: 'POST /bookings', body: booking }));
    expect(result.statusCode).toBe(500);
    expect(parsed(result).error).toEqual({ code: 'internal_error', message: expect.stringContaining('req-1') });
  });
});

describe('PATCH /bookings/{id}', () => {
  const patch = (headers: Record<string, string>, body: unknown = { start: '2026-03-29T11:00:00+02:00', end: '2026-03-29T11:30:00+02:00' }) =>
    call(apiEvent({ routeKey: 'PATCH /bookings/{id}', pathParameters: { id: 'B1' }, headers, body }));

  it('needs If-Match', async () => {
    expect((await patch({})).statusCode).toBe(428);
  });

  it('refuses a stale If-Match without writing', async () => {
    dynamo.on(GetCommand).resolves({ Item: stored });
    expectStaleRefused(await patch({ 'if-match': '"1"' }), 2);
  });

  it('writes on the read version and reports a concurrent edit as 412', async () => {
    concurrentWrite(stored, 3);
    const result = await patch({ 'if-match': '"2"' });
    expect(dynamo.commandCalls(PutCommand)[0]!.args[0].input).toMatchObject({ ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': 2 } });
    expect(result.statusCode).toBe(412);
  });

  it('reschedules and keys the booking by its new start', async () => {
    dynamo.on(GetCommand).resolves({ Item: stored });
    dynamo.on(PutCommand).resolves({});
    const result = await patch({ 'if-match': 'W/"2"' });
    expect(result.statusCode).toBe(200);
    expect(parsed(result)).toMatchObject({ start: '2026-03-29T11:00:00+02:00', version: 3 });
    expect(dynamo.commandCalls(PutCommand)[0]!.args[0].input.Item).toMatchObject({ gsi1sk: '2026-03-29T09:00:00.000Z#B1' });
  });

  it('checks the whole booking after the patch', async () => {
    dynamo.on(GetCommand).resolves({ Item: stored });
    const result = await patch({ 'if-match': '2' }, { end: '2026-03-29T09:00:00+02:00' });
    expect(result.statusCode).toBe(400);
    expect(parsed(result).error.details.issues[0].path).toBe('end');
  });

  it('refuses to edit a cancelled booking', async () => {
    dynamo.on(GetCommand).resolves({ Item: { ...stored, status: 'cancelled' } });
    expect((await patch({ 'if-match': '2' })).statusCode).toBe(409);
  });
});

describe('lifecycle actions', () => {
  it('refuses an invalid transition with 409 naming the allowed ones', async () => {
    dynamo.on(GetCommand).resolves({ Item: { ...stored, status: 'pending' } });
    const result = await call(apiEvent({ routeKey: 'POST /bookings/{id}/complete', pathParameters: { id: 'B1' } }));
    expect(result.statusCode).toBe(409);
    expect(parsed(result).error).toMatchObject({ code: 'invalid_transition', details: { allowed: ['confirmed', 'rejected'] } });
  });

  it('cancels with who cancelled', async () => {
    dynamo.on(GetCommand).resolves({ Item: stored });
    dynamo.on(PutCommand).resolves({});
    const result = await call(apiEvent({ routeKey: 'POST /bookings/{id}/cancel', pathParameters: { id: 'B1' }, body: { by: 'client', reason: 'ill' } }));
    expect(parsed(result)).toMatchObject({ status: 'cancelled', cancelledBy: 'client', cancellationReason: 'ill', version: 3 });
  });

  it('reads the record of the token’s tenant only', async () => {
    dynamo.on(GetCommand).resolves({});
    const result = await call(apiEvent({ routeKey: 'POST /bookings/{id}/confirm', pathParameters: { id: 'B1' }, tenantId: 'other' }));
    expect(result.statusCode).toBe(404);
    expect(dynamo.commandCalls(GetCommand)[0]!.args[0].input.Key).toEqual({ pk: 'T#other', sk: 'booking#B1' });
  });
});

describe('GET /bookings', () => {
  it('queries the time index for a date range and returns a cursor', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [stored], LastEvaluatedKey: { pk: 'T#acme', sk: 'booking#B1', gsi1pk: 'T#acme#booking', gsi1sk: 'x#B1' } });
    dynamo.on(BatchGetCommand).resolves({ Responses: { records: [] } });
    const result = await call(apiEvent({ routeKey: 'GET /bookings', query: { from: '2026-03-29T00:00:00Z', to: '2026-03-30T00:00:00Z', limit: '1' } }));
    expect(result.statusCode).toBe(200);
    const body = parsed(result);
    expect(body.items).toEqual([expect.objectContaining({ id: 'B1' })]);
    expect(body.items[0]).not.toHaveProperty('pk');
    expect(typeof body.nextCursor).toBe('string');
    expect(dynamo.commandCalls(QueryCommand)[0]!.args[0].input).toMatchObject({ IndexName: 'ByTime', Limit: 1 });
  });

  it('embeds the client’s and location’s names, read in one BatchGetItem for the page', async () => {
    const at = { version: 1, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' };
    dynamo.on(QueryCommand).resolves({ Items: [stored, { ...stored, sk: 'booking#B2', id: 'B2' }] });
    dynamo.on(BatchGetCommand).resolves({
      Responses: {
        records: [
          { pk: 'T#acme', sk: 'client#C1', kind: 'client', tenantId: 'acme', id: 'C1', firstName: 'Ana', lastName: 'García', consent: { email: true, sms: false }, status: 'active', customFields: {}, ...at },
          { pk: 'T#acme', sk: 'location#L1', kind: 'location', tenantId: 'acme', id: 'L1', name: 'Centro', timeZone: 'Europe/Madrid', ...at },
        ],
      },
    });
    const body = parsed(await call(apiEvent({ routeKey: 'GET /bookings' })));
    expect(body.items.map((item: { client: unknown; location: unknown }) => [item.client, item.location])).toEqual([
      [{ firstName: 'Ana', lastName: 'García' }, { name: 'Centro' }],
      [{ firstName: 'Ana', lastName: 'García' }, { name: 'Centro' }],
    ]);
    expect(dynamo.commandCalls(BatchGetCommand)).toHaveLength(1);
    expect(dynamo.commandCalls(BatchGetCommand)[0]!.args[0].input.RequestItems!.records!.Keys).toEqual([
      { pk: 'T#acme', sk: 'client#C1' },
      { pk: 'T#acme', sk: 'location#L1' },
    ]);
  });

  it('filters by status, oldest first', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [{ ...stored, status: 'cancelled' }] });
    await call(apiEvent({ routeKey: 'GET /bookings', query: { status: 'cancelled' } }));
    const input = dynamo.commandCalls(QueryCommand)[0]!.args[0].input;
    expect(filterEquals(input)).toEqual({ status: 'cancelled' });
    expect(input).toMatchObject({ ExpressionAttributeValues: { ':pk': 'T#acme#booking' }, ScanIndexForward: true });
  });

  it.each([
    [{ limit: '0' }, 'query.limit'],
    [{ limit: 'ten' }, 'query.limit'],
    [{ status: 'maybe' }, 'query.status'],
    [{ from: 'yesterday' }, 'query.from'],
    [{ sort: 'asc' }, 'query.sort'],
    [{ cursor: 'garbage' }, 'cursor'],
  ])('refuses bad query %o', (query, path) => expectQueryRefused('GET /bookings', query, path));
});
