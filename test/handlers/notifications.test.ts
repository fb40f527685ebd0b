import { afterAll, describe, expect, it } from 'vitest';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { useClock } from '#adapters/clock.ts';
import { areaHandler } from '../support/area-handler.ts';
import { apiEvent, lambdaContext, parsed } from '../support/api-event.ts';
import { filterEquals } from '../support/expressions.ts';

const { dynamo, handler, concurrentWrite, expectStaleRefused, expectQueryRefused } = areaHandler(() => import('#api/notifications.ts'));
const now = new Date('2026-04-01T09:30:00.000Z');
const restoreClock = useClock(() => now);

afterAll(() => restoreClock());

// Its id is the id of the message it came from.
const id = 'invoice.I1.v3.system.invoice_overdue.email';
const notification = {
  id,
  messageType: 'invoice_overdue',
  title: 'Invoice 2026-014 is overdue',
  text: 'Ana García has not paid invoice 2026-014, due 2026-03-31.',
  entity: { kind: 'invoice', id: 'I1' },
  clientId: 'C1',
  link: '/invoices/I1',
  read: false,
  version: 1,
  createdAt: '2026-04-01T08:00:00.000Z',
  updatedAt: '2026-04-01T08:00:00.000Z',
};
const stored = { pk: 'T#acme', sk: `notification#${id}`, gsi1pk: 'T#acme#notification', gsi1sk: `2026-04-01T08:00:00.000Z#${id}`, kind: 'notification', tenantId: 'acme', ...notification };
const call = (event: Parameters<typeof handler>[0]) => handler(event, lambdaContext);
const markRead = (headers: Record<string, string> = {}, tenantId = 'acme') =>
  call(apiEvent({ routeKey: 'POST /notifications/{id}/read', pathParameters: { id }, headers, tenantId }));

describe('GET /notifications', () => {
  it('reads the tenant’s notifications newest first from the time index, with a cursor', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [stored], LastEvaluatedKey: { pk: 'T#acme', sk: stored.sk, gsi1pk: 'T#acme#notification', gsi1sk: stored.gsi1sk } });
    const result = await call(apiEvent({ routeKey: 'GET /notifications', query: { limit: '1' } }));
    expect(result.statusCode).toBe(200);
    const body = parsed(result);
    expect(body.items).toEqual([notification]);
    expect(typeof body.nextCursor).toBe('string');
    const input = dynamo.commandCalls(QueryCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ IndexName: 'ByTime', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': 'T#acme#notification' }, ScanIndexForward: false, Limit: 1 });
    expect(input.FilterExpression).toBeUndefined();
  });

  it('filters by read state, topping up a thinned page from the next cursor', async () => {
    const lastKey = { pk: 'T#acme', sk: 'notification#N0', gsi1pk: 'T#acme#notification', gsi1sk: 'x#N0' };
    dynamo.on(QueryCommand).resolvesOnce({ Items: [], LastEvaluatedKey: lastKey }).resolves({ Items: [stored] });
    const body = parsed(await call(apiEvent({ routeKey: 'GET /notifications', query: { read: 'false', limit: '2' } })));
    expect(body).toEqual({ items: [notification], nextCursor: null });
    const [first, second] = dynamo.commandCalls(QueryCommand).map((command) => command.args[0].input);
    expect(filterEquals(first!)).toEqual({ read: false });
    expect(first).toMatchObject({ ScanIndexForward: false });
    expect(second).toMatchObject({ ExclusiveStartKey: lastKey, ScanIndexForward: false });
  });

  it.each([
    [{ read: 'no' }, 'query.read'],
    [{ limit: '101' }, 'query.limit'],
    [{ status: 'unread' }, 'query.status'],
    [{ cursor: 'garbage' }, 'cursor'],
  ])('refuses bad query %o', (query, path) => expectQueryRefused('GET /notifications', query, path));

  it('refuses a cursor of another tenant’s list', async () => {
    const foreign = Buffer.from(JSON.stringify({ pk: 'T#other', sk: 'notification#N1', gsi1pk: 'T#other#notification', gsi1sk: 'x#N1' })).toString('base64url');
    const result = await call(apiEvent({ routeKey: 'GET /notifications', query: { cursor: foreign } }));
    expect(result.statusCode).toBe(400);
    expect(dynamo.commandCalls(QueryCommand)).toHaveLength(0);
  });
});

describe('GET /notifications/{id}', () => {
  it('refuses an id no message has', async () => {
    const result = await call(apiEvent({ routeKey: 'GET /notifications/{id}', pathParameters: { id: 'a#b' } }));
    expect(result.statusCode).toBe(400);
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('answers the notification with its version as ETag', async () => {
    dynamo.on(GetCommand).resolves({ Item: stored });
    const result = await call(apiEvent({ routeKey: 'GET /notifications/{id}', pathParameters: { id } }));
    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject({ etag: '"1"' });
    expect(parsed(result)).toEqual(notification);
  });

  it('reads the token’s tenant only', async () => {
    dynamo.on(GetCommand).resolves({});
    const result = await call(apiEvent({ routeKey: 'GET /notifications/{id}', pathParameters: { id }, tenantId: 'other' }));
    expect(result.statusCode).toBe(404);
    expect(dynamo.commandCalls(GetCommand)[0]!.args[0].input.Key).toEqual({ pk: 'T#other', sk: stored.sk });
  });
});

describe('POST /notifications/{id}/read', () => {
  it('marks it read on the version it read, keeping its place in the list', async () => {
    dynamo.on(GetCommand).resolves({ Item: stored });
    dynamo.on(PutCommand).resolves({});
    const result = await markRead();
    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject({ etag: '"2"' });
    expect(parsed(result)).toEqual({ ...notification, read: true, readAt: now.toISOString(), version: 2, updatedAt: now.toISOString() });
    const put = dynamo.commandCalls(PutCommand)[0]!.args[0].input;
    expect(put).toMatchObject({ ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': 1 } });
    expect(put.Item).toMatchObject({ read: true, gsi1pk: 'T#acme#notification', gsi1sk: stored.gsi1sk });
  });

  it('answers a read notification unchanged without writing', async () => {
    const read = { ...stored, read: true, readAt: '2026-04-01T09:00:00.000Z', version: 2 };
    dynamo.on(GetCommand).resolves({ Item: read });
    const result = await markRead({ 'if-match': '"2"' });
    expect(result.statusCode).toBe(200);
    expect(parsed(result)).toMatchObject({ read: true, readAt: '2026-04-01T09:00:00.000Z', version: 2 });
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('refuses a stale If-Match with 412 without writing', async () => {
    dynamo.on(GetCommand).resolves({ Item: { ...stored, version: 3 } });
    expectStaleRefused(await markRead({ 'if-match': '"1"' }), 3);
  });

  it('reports a concurrent write as 412', async () => {
    concurrentWrite(stored, 2);
    expect((await markRead()).statusCode).toBe(412);
  });

  it('answers 404 for another tenant’s notification', async () => {
    dynamo.on(GetCommand).resolves({});
    const result = await markRead({}, 'other');
    expect(result.statusCode).toBe(404);
    expect(dynamo.commandCalls(GetCommand)[0]!.args[0].input.Key).toEqual({ pk: 'T#other', sk: stored.sk });
  });
});
