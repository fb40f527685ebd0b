import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { marshall } from '@aws-sdk/util-dynamodb';
import { useClock } from '#adapters/clock.ts';
import { apiEvent, lambdaContext, parsed } from '../support/api-event.ts';

/** Idempotency-Key on a record create (POST /bookings) and on a card action (POST /clients/{id}/messages), against mocked DynamoDB and SQS. */
const dynamo = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
let bookings: (typeof import('#api/bookings.ts'))['handler'];
let clients: (typeof import('#api/clients.ts'))['handler'];

const now = new Date('2026-06-01T10:00:00.000Z');
const nowSeconds = now.getTime() / 1000;
let restoreClock: () => void;

beforeAll(async () => {
  process.env.TABLE_NAME = 'records';
  process.env.DELIVERY_QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/000000000000/delivery';
  restoreClock = useClock(() => now);
  ({ handler: bookings } = await import('#api/bookings.ts'));
  ({ handler: clients } = await import('#api/clients.ts'));
});
afterAll(() => restoreClock());
beforeEach(() => {
  dynamo.reset();
  sqs.reset();
});

const booking = { clientId: 'C1', locationId: 'L1', service: 'Haircut', start: '2030-03-29T10:00:00+02:00', end: '2030-03-29T10:30:00+02:00' };
const key = 'retry-7f3a';
const bookingKey = { pk: 'T#acme', sk: `idempotency#POST /bookings#${key}` };
const post = (body: unknown = booking, headers: Record<string, string> = { 'idempotency-key': key }) =>
  bookings(apiEvent({ routeKey: 'POST /bookings', body, headers }), lambdaContext);

/** Runs `first` against a table without the key and returns its answer and the idempotency item it wrote, mocks reset. */
async function rememberedBy(first: () => Promise<{ statusCode?: number; body?: string; headers?: unknown }>, records: () => void = () => undefined) {
  dynamo.reset();
  dynamo.on(GetCommand).resolves({});
  records();
  dynamo.on(TransactWriteCommand).resolves({});
  dynamo.on(PutCommand).resolves({});
  const result = await first();
  const put = dynamo.commandCalls(PutCommand)[0]?.args[0].input ?? dynamo.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!.at(-1)!.Put!;
  dynamo.reset();
  sqs.resetHistory();
  return { result, item: put.Item! as Record<string, unknown> };
}

const cancelled = (reasons: Array<{ Code: string; Item?: Record<string, unknown> }>) =>
  new TransactionCanceledException({
    message: 'cancelled',
    $metadata: {},
    CancellationReasons: reasons.map((reason) => ({ Code: reason.Code, ...(reason.Item ? { Item: marshall(reason.Item) } : {}) })),
  });

describe('a create with an Idempotency-Key', () => {
  it('reads the key consistently, then writes it with the record in one transaction, its answer inside, expiring in a day', async () => {
    dynamo.on(GetCommand).resolves({});
    dynamo.on(TransactWriteCommand).resolves({});
    const result = await post();
    expect(result.statusCode).toBe(201);

    expect(dynamo.commandCalls(GetCommand)[0]!.args[0].input).toEqual({ TableName: 'records', Key: bookingKey, ConsistentRead: true });
    const items = dynamo.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    // The record, its client and location checks, the location's reference count, the key.
    expect(items.map((item) => Object.keys(item)[0])).toEqual(['Put', 'ConditionCheck', 'ConditionCheck', 'Update', 'Put']);
    const remember = items[4]!.Put!;
    expect(remember).toMatchObject({
      Item: { ...bookingKey, kind: 'idempotency', tenantId: 'acme', operation: 'POST /bookings', key, expiresAt: nowSeconds + 24 * 60 * 60 },
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
      ExpressionAttributeValues: { ':now': nowSeconds },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
    expect(JSON.parse(remember.Item!.answer as string)).toEqual({ status: 201, body: parsed(result), headers: { etag: '"1"', location: `/bookings/${parsed(result).id}` } });
  });

  it('answers a repeat with the first answer and writes nothing', async () => {
    const first = await rememberedBy(() => post());
    dynamo.on(GetCommand, { Key: bookingKey }).resolves({ Item: first.item });
    // Key order is not part of the request.
    const result = await post(Object.fromEntries(Object.entries(booking).reverse()));
    expect({ status: result.statusCode, body: result.body, headers: result.headers }).toEqual({ status: 201, body: first.result.body, headers: first.result.headers });
    expect(dynamo.commandCalls(GetCommand)).toHaveLength(1);
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('refuses the key on another request with 422 naming it, and writes nothing', async () => {
    const first = await rememberedBy(() => post());
    dynamo.on(GetCommand, { Key: bookingKey }).resolves({ Item: first.item });
    const result = await post({ ...booking, service: 'Colour' });
    expect(result.statusCode).toBe(422);
    expect(parsed(result).error).toMatchObject({ code: 'idempotency_key_reused', message: expect.stringContaining(`"${key}"`), details: { key, operation: 'POST /bookings' } });
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('takes an expired key that TTL has not deleted yet as free', async () => {
    const first = await rememberedBy(() => post());
    dynamo.on(GetCommand).resolves({});
    dynamo.on(GetCommand, { Key: bookingKey }).resolves({ Item: { ...first.item, expiresAt: nowSeconds } });
    dynamo.on(TransactWriteCommand).resolves({});
    const result = await post({ ...booking, service: 'Colour' });
    expect(result.statusCode).toBe(201);
    expect(parsed(result)).toMatchObject({ service: 'Colour' });
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('answers with the winner’s answer when a request with the same key wrote first', async () => {
    const winner = await rememberedBy(() => post());
    dynamo.on(GetCommand).resolves({});
    dynamo.on(TransactWriteCommand).rejects(cancelled([{ Code: 'None' }, { Code: 'None' }, { Code: 'None' }, { Code: 'None' }, { Code: 'ConditionalCheckFailed', Item: winner.item }]));
    const result = await post();
    expect({ status: result.statusCode, body: result.body, headers: result.headers }).toEqual({ status: 201, body: winner.result.body, headers: winner.result.headers });
  });

  it('gives the held key precedence over a unique number the winner also took', async () => {
    const invoices = (await import('#api/invoices.ts')).handler;
    const invoice = { number: 'F-1', clientId: 'C1', amountMinor: 4500, currency: 'EUR', issueDate: '2026-06-01', dueDate: '2026-06-30' };
    const create = () => invoices(apiEvent({ routeKey: 'POST /invoices', body: invoice, headers: { 'idempotency-key': key } }), lambdaContext);
    const winner = await rememberedBy(create);
    dynamo.on(GetCommand).resolves({});
    // Record, client check, number claim (taken by the winner), key (held by the winner).
    dynamo.on(TransactWriteCommand).rejects(
      cancelled([{ Code: 'None' }, { Code: 'None' }, { Code: 'ConditionalCheckFailed' }, { Code: 'ConditionalCheckFailed', Item: winner.item }]),
    );
    const result = await create();
    expect(result.statusCode).toBe(201);
    expect(result.body).toBe(winner.result.body);
  });

  it('answers a retryable 409 while another request with the key is being written', async () => {
    dynamo.on(GetCommand).resolves({});
    dynamo.on(TransactWriteCommand).rejects(cancelled([{ Code: 'None' }, { Code: 'None' }, { Code: 'None' }, { Code: 'None' }, { Code: 'TransactionConflict' }]));
    const result = await post();
    expect(result.statusCode).toBe(409);
    expect(result.headers).toMatchObject({ 'retry-after': '1' });
    expect(parsed(result).error).toMatchObject({ code: 'idempotency_key_in_progress', message: expect.stringMatching(new RegExp(`"${key}".*retry`)) });
  });

  it('stores nothing for a request that fails', async () => {
    dynamo.on(GetCommand).resolves({});
    dynamo.on(TransactWriteCommand).rejects(cancelled([{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }, { Code: 'None' }, { Code: 'None' }, { Code: 'None' }]));
    const result = await post();
    expect(result.statusCode).toBe(400);
    expect(parsed(result).error.details.issues).toEqual([{ path: 'clientId', message: 'client C1 does not exist' }]);
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(0);
  });

  it.each([
    ['empty', ''],
    ['longer than 255 characters', 'k'.repeat(256)],
    ['not ASCII', 'clé'],
    ['with a control character', 'a\u0001b'],
  ])('refuses a key that is %s with 400, touching nothing', async (_name, bad) => {
    const result = await post(booking, { 'idempotency-key': bad });
    expect(result.statusCode).toBe(400);
    expect(parsed(result).error.details.issues).toEqual([{ path: 'Idempotency-Key', message: 'must be 1 to 255 printable ASCII characters (a UUID works)' }]);
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('takes any printable ASCII, spaces and # included, and keeps keys per operation', async () => {
    dynamo.on(GetCommand).resolves({});
    dynamo.on(TransactWriteCommand).resolves({});
    expect((await post(booking, { 'idempotency-key': ' order #42 / retry ' })).statusCode).toBe(201);
    expect(dynamo.commandCalls(GetCommand)[0]!.args[0].input.Key).toEqual({ pk: 'T#acme', sk: 'idempotency#POST /bookings#order #42 / retry' });
  });

  it('is not read or written without a key', async () => {
    dynamo.on(GetCommand).resolves({});
    dynamo.on(TransactWriteCommand).resolves({});
    expect((await post(booking, {})).statusCode).toBe(201);
    expect(dynamo.commandCalls(GetCommand).map((call) => call.args[0].input.Key)).toEqual([{ pk: 'T#acme', sk: 'settings#current' }]);
    expect(dynamo.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems).toHaveLength(4);
  });
});

describe('a card action with an Idempotency-Key', () => {
  const client = { pk: 'T#acme', sk: 'client#C1', kind: 'client', id: 'C1', firstName: 'Ana', consent: { email: true, sms: false }, status: 'active', customFields: {}, version: 2, createdAt: '2026-05-01T09:00:00.000Z', updatedAt: '2026-05-02T09:00:00.000Z' };
  const messageKey = { pk: 'T#acme', sk: `idempotency#POST /clients/{id}/messages#${key}` };
  const message = { channel: 'email', text: 'Te esperamos el lunes.' };
  const send = (body: unknown = message) =>
    clients(apiEvent({ routeKey: 'POST /clients/{id}/messages', pathParameters: { id: 'C1' }, body, headers: { 'idempotency-key': key } }), lambdaContext);
  const sentBodies = () => sqs.commandCalls(SendMessageBatchCommand).flatMap((call) => call.args[0].input.Entries!.map((entry) => entry.MessageBody));
  /** The first request's idempotency item, as it wrote it, and the delivery request it queued. */
  const firstSent = async () => {
    const withClient = () => dynamo.on(GetCommand, { Key: { pk: 'T#acme', sk: 'client#C1' } }).resolves({ Item: client });
    const first = await rememberedBy(() => send(), withClient);
    withClient();
    return { ...first, queuedBody: JSON.parse(first.item.queued as string)[0].body as string };
  };

  beforeEach(() => {
    dynamo.on(GetCommand, { Key: { pk: 'T#acme', sk: 'client#C1' } }).resolves({ Item: client });
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
  });

  it('remembers the answer and the delivery request before queueing it', async () => {
    dynamo.on(GetCommand, { Key: messageKey }).resolves({});
    dynamo.on(PutCommand).resolves({});
    const result = await send();
    expect(result.statusCode).toBe(202);
    const put = dynamo.commandCalls(PutCommand)[0]!.args[0].input;
    expect(put).toMatchObject({ Item: { ...messageKey, operation: 'POST /clients/{id}/messages' }, ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now' });
    expect(JSON.parse(put.Item!.answer as string)).toEqual({ status: 202, body: parsed(result) });
    const queued = JSON.parse(put.Item!.queued as string);
    expect(queued).toEqual([{ id: parsed(result).messageId, body: expect.any(String) }]);
    expect(sentBodies()).toEqual([queued[0].body]);
    expect(dynamo.commandCalls(PutCommand)[0]!.calledBefore(sqs.commandCalls(SendMessageBatchCommand)[0]!)).toBe(true);
  });

  it('answers a repeat with the first answer and queues the first request again (delivery sends it once)', async () => {
    const first = await firstSent();
    dynamo.on(GetCommand, { Key: messageKey }).resolves({ Item: first.item });
    const result = await send();
    expect({ status: result.statusCode, body: result.body }).toEqual({ status: 202, body: first.result.body });
    expect(sentBodies()).toEqual([first.queuedBody]);
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('queues the winner’s request, not its own, when a request with the same key remembered first', async () => {
    const winner = await firstSent();
    dynamo.on(GetCommand, { Key: messageKey }).resolves({});
    dynamo.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'held', $metadata: {}, Item: marshall(winner.item) }));
    const result = await send();
    expect(result.body).toBe(winner.result.body);
    expect(sentBodies()).toEqual([winner.queuedBody]);
  });

  it('refuses the key on another message with 422 and queues nothing', async () => {
    const first = await firstSent();
    dynamo.on(GetCommand, { Key: messageKey }).resolves({ Item: first.item });
    const result = await send({ ...message, text: 'Otra cosa' });
    expect(result.statusCode).toBe(422);
    expect(parsed(result).error.message).toContain(`"${key}"`);
    expect(sqs.calls()).toHaveLength(0);
  });

  it('refuses the key for another client: the path is part of the request', async () => {
    const first = await firstSent();
    dynamo.on(GetCommand, { Key: { pk: 'T#acme', sk: 'client#C2' } }).resolves({ Item: { ...client, sk: 'client#C2', id: 'C2' } });
    dynamo.on(GetCommand, { Key: messageKey }).resolves({ Item: first.item });
    const other = await clients(apiEvent({ routeKey: 'POST /clients/{id}/messages', pathParameters: { id: 'C2' }, body: message, headers: { 'idempotency-key': key } }), lambdaContext);
    expect(other.statusCode).toBe(422);
    expect(sqs.calls()).toHaveLength(0);
  });
});
