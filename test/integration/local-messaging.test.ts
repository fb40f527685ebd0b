/**
 * The local message path's own pieces, with fixture handlers: the stream poller (Lambda's DynamoDB
 * Streams event source stand-in), the SQS event source on the SQS emulator, the local
 * SES server, the SMS outbox display, and the messaging test harness built from them.
 */
import { createHash, randomUUID } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchWriteItemCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SQSClient } from '@aws-sdk/client-sqs';
import { smsOutbox } from '#local/adapters/sms-outbox.ts';
import { sqsDeliveryQueue } from '#adapters/sqs/delivery-queue.ts';
import { evaluatedKinds } from '#domain/messages/message-types.ts';
import { startSqsEventSource } from '#local/sqs-event-source.ts';
import { createLocalSqsClient, deadLetters, ensureDeliveryQueues, queueDepth, startSqsLocal, type DeliveryQueues, type SqsLocal } from '#local/sqs-local.ts';
import { ensureTable } from '#local/dynamodb-local.ts';
import { compileFilter } from '#local/event-filter.ts';
import { evaluatorFilterPatterns } from '#domain/messages/stream-filter.ts';
import { startSesLocal } from '#local/ses-local.ts';
import { formatSms, tailSmsOutbox, type OutboxSms } from '#local/sms-outbox-tail.ts';
import { startStreamPoller, type StreamPoller, type StreamPollerLogEntry, type StreamPollerOptions } from '#local/stream-poller.ts';
import { localDynamoDbClient, startApi, useLocalStackEnv } from './local-stack.ts';

let client: DynamoDBClient;
let dir: string;
const tables: string[] = [];
const pollers: StreamPoller[] = [];

beforeAll(() => {
  client = localDynamoDbClient();
  dir = mkdtempSync(join(tmpdir(), 'local-messaging-'));
});
afterEach(async () => {
  await Promise.all(pollers.splice(0).map((poller) => poller.stop()));
});
afterAll(async () => {
  await Promise.all(tables.map((TableName) => client.send(new DeleteTableCommand({ TableName })).catch(() => undefined)));
  client.destroy();
  rmSync(dir, { recursive: true, force: true });
});

/** A table of its own (with the stream), so no other test file's writes show up in its stream. */
async function freshTable(): Promise<string> {
  const name = `stream-test-${randomUUID().slice(0, 8)}`;
  await ensureTable(client, name);
  tables.push(name);
  return name;
}

const s = (value: string): AttributeValue => ({ S: value });
const n = (value: number): AttributeValue => ({ N: String(value) });
const item = (kind: string, id: string, extra: Record<string, AttributeValue> = {}): Record<string, AttributeValue> => ({
  pk: s('T#acme'),
  sk: s(`${kind}#${id}`),
  kind: s(kind),
  id: s(id),
  version: n(1),
  ...extra,
});
const put = (table: string, value: Record<string, AttributeValue>) => client.send(new PutItemCommand({ TableName: table, Item: value }));
async function putMany(table: string, items: Record<string, AttributeValue>[]): Promise<void> {
  for (let index = 0; index < items.length; index += 25) {
    await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: items.slice(index, index + 25).map((Item) => ({ PutRequest: { Item } })) } }));
  }
}

interface Invocation {
  readonly event: DynamoDBStreamEvent;
  readonly context: Context;
  readonly at: number;
}

/** Starts a poller on the table with a recording handler (answers with `respond`). */
async function poll(
  table: string,
  respond: (event: DynamoDBStreamEvent, call: number) => DynamoDBBatchResponse | void | Promise<DynamoDBBatchResponse | void> = () => undefined,
  options: Partial<StreamPollerOptions> = {},
): Promise<{ poller: StreamPoller; calls: Invocation[]; logs: StreamPollerLogEntry[] }> {
  const calls: Invocation[] = [];
  const logs: StreamPollerLogEntry[] = [];
  const poller = await startStreamPoller({
    endpoint: useLocalStackEnv().dynamodbEndpoint,
    tableName: table,
    handler: async (event, context) => {
      calls.push({ event: structuredClone(event), context, at: performance.now() });
      return respond(event, calls.length);
    },
    log: (entry) => logs.push(entry),
    ...options,
  });
  pollers.push(poller);
  return { poller, calls, logs };
}

const ids = (invocation: Invocation): string[] => invocation.event.Records.map((record) => record.dynamodb!.NewImage!['id']!.S!);
const sequence = (record: DynamoDBRecord): string => record.dynamodb!.SequenceNumber!;

async function readLines<T>(file: string): Promise<T[]> {
  try {
    return (await readFile(file, 'utf8')).split('\n').filter(Boolean).map((line) => JSON.parse(line) as T);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------

describe('stream poller', () => {
  it('hands INSERT and MODIFY records of triggering kinds to the handler in the shape Lambda builds', async () => {
    const table = await freshTable();
    await put(table, item('booking', 'before-start')); // written before the poller: LATEST skips it
    const { poller, calls } = await poll(table, undefined, { startingPosition: 'LATEST' });
    const startedAt = Date.now() / 1000;

    await put(table, item('booking', 'b1', { start: s('2026-12-01T09:00:00Z'), tags: { SS: ['x', 'y'] } }));
    await client.send(
      new UpdateItemCommand({
        TableName: table,
        Key: { pk: s('T#acme'), sk: s('booking#b1') },
        UpdateExpression: 'SET version = :v, #status = :s',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':v': n(2), ':s': s('cancelled') },
      }),
    );
    await put(table, item('template', 'current'));
    await put(table, item('message', 'm1'));
    await put(table, item('client', 'c1'));
    await put(table, { pk: s('T#acme'), sk: s('claim#invoice-number#7') }); // no kind at all
    await client.send(new DeleteItemCommand({ TableName: table, Key: { pk: s('T#acme'), sk: s('booking#b1') } }));
    await put(table, item('invoice', 'i1'));
    await poller.idle();

    const records = calls.flatMap((call) => call.event.Records);
    expect(records.map((record) => [record.eventName, record.dynamodb?.NewImage?.['id']?.S])).toEqual([
      ['INSERT', 'b1'],
      ['MODIFY', 'b1'],
      ['INSERT', 'i1'],
    ]);
    const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
    const [insert, modify] = records as [DynamoDBRecord, DynamoDBRecord];
    expect(insert).toEqual({
      eventID: expect.any(String),
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      eventSourceARN: Table!.LatestStreamArn,
      dynamodb: {
        ApproximateCreationDateTime: expect.any(Number),
        Keys: { pk: { S: 'T#acme' }, sk: { S: 'booking#b1' } },
        NewImage: {
          pk: { S: 'T#acme' },
          sk: { S: 'booking#b1' },
          kind: { S: 'booking' },
          id: { S: 'b1' },
          version: { N: '1' },
          start: { S: '2026-12-01T09:00:00Z' },
          tags: { SS: ['x', 'y'] },
        },
        SequenceNumber: expect.stringMatching(/^\d+$/),
        SizeBytes: expect.any(Number),
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
    // Epoch seconds, as in Lambda's event (DynamoDB Local rounds them down to the minute).
    expect(Math.abs(insert.dynamodb!.ApproximateCreationDateTime! - startedAt)).toBeLessThan(120);
    expect(modify.dynamodb?.OldImage).toEqual(insert.dynamodb?.NewImage);
    expect(modify.dynamodb?.NewImage).toMatchObject({ version: { N: '2' }, status: { S: 'cancelled' } });
    expect(BigInt(sequence(modify))).toBeGreaterThan(BigInt(sequence(insert)));

    const { context } = calls[0]!;
    expect(context.functionName).toBe('client-messages-local-evaluator');
    expect(context.invokedFunctionArn).toBe('arn:aws:lambda:us-east-1:000000000000:function:client-messages-local-evaluator');
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(0);
  });

  // The matcher itself is checked against Lambda's documented semantics in test/unit/event-filter.test.ts.
  it('lets through only the records the evaluator acts on', () => {
    const accepts = compileFilter(evaluatorFilterPatterns);
    const record = (eventName: string, kind?: AttributeValue, more: Record<string, AttributeValue> = {}) => ({ eventName, dynamodb: { NewImage: kind ? { kind, ...more } : {} } });
    for (const kind of evaluatedKinds) {
      expect(accepts(record('INSERT', s(kind))), kind).toBe(true);
      expect(accepts(record('MODIFY', s(kind))), kind).toBe(true);
      expect(accepts(record('REMOVE', s(kind))), kind).toBe(false);
    }
    // An inbound item's insert gets its auto-reply; delivery's own writes of outbound messages never reach the evaluator.
    expect(accepts(record('INSERT', s('message'), { direction: s('inbound') }))).toBe(true);
    expect(accepts(record('MODIFY', s('message'), { direction: s('inbound') }))).toBe(false);
    expect(accepts(record('INSERT', s('message'), { direction: s('outbound') }))).toBe(false);
    expect(accepts(record('MODIFY', s('message'), { direction: s('outbound') }))).toBe(false);
    expect(accepts(record('INSERT', s('message')))).toBe(false);
    expect(accepts(record('INSERT', s('client')))).toBe(false);
    expect(accepts(record('INSERT', s('Booking')))).toBe(false);
    expect(accepts(record('INSERT', { N: '1' }))).toBe(false);
    expect(accepts(record('INSERT'))).toBe(false);
    expect(accepts({ eventName: 'REMOVE', dynamodb: { OldImage: { kind: s('booking') } } })).toBe(false);
  });

  it('invokes with at most 100 records, in stream order, once caught up with what is already there', async () => {
    const table = await freshTable();
    await putMany(table, Array.from({ length: 250 }, (_, index) => item('order', `o${String(index).padStart(3, '0')}`)));
    const { poller, calls } = await poll(table); // TRIM_HORIZON: everything in the stream
    await poller.idle();
    expect(calls.map((call) => call.event.Records.length)).toEqual([100, 100, 50]);
    const all = calls.flatMap(ids);
    expect(all).toEqual(Array.from({ length: 250 }, (_, index) => `o${String(index).padStart(3, '0')}`));
  });

  it('checkpoints before the lowest failed sequence number and retries from it', async () => {
    const table = await freshTable();
    await putMany(table, ['r1', 'r2', 'r3', 'r4'].map((id) => item('lead', id)));
    const { poller, calls, logs } = await poll(
      table,
      (event, call) =>
        call === 1
          ? // r4 and r2 failed (in any order): Lambda retries from r2, r1 counts as done.
            { batchItemFailures: [event.Records[3]!, event.Records[1]!].map((record) => ({ itemIdentifier: sequence(record) })) }
          : { batchItemFailures: [] },
      { retryDelayMs: () => 20 },
    );
    await poller.idle();
    expect(calls.map(ids)).toEqual([
      ['r1', 'r2', 'r3', 'r4'],
      ['r2', 'r3', 'r4'],
    ]);
    expect(logs.filter((entry) => entry.event === 'retry')).toEqual([
      expect.objectContaining({ nextAttempt: 2, fromSequenceNumber: sequence(calls[0]!.event.Records[1]!) }),
    ]);
    expect(logs.filter((entry) => entry.event === 'invoke').map((entry) => entry['result'])).toEqual(['partial', 'ok']);
  });

  it('treats a thrown error or an unknown item identifier as a failure of the whole batch', async () => {
    const table = await freshTable();
    await putMany(table, ['t1', 't2'].map((id) => item('estimate', id)));
    const { poller, calls } = await poll(
      table,
      (_event, call) => {
        if (call === 1) throw new Error('evaluator exploded');
        if (call === 2) return { batchItemFailures: [{ itemIdentifier: 'not-in-this-batch' }] };
        return undefined;
      },
      { retryDelayMs: () => 10 },
    );
    await poller.idle();
    expect(calls.map(ids)).toEqual([
      ['t1', 't2'],
      ['t1', 't2'],
      ['t1', 't2'],
    ]);
  });

  it('gives up on a batch after 5 attempts with growing pauses, records it in the failure file and moves on', async () => {
    const table = await freshTable();
    const failureFile = join(dir, `failures-${randomUUID()}.jsonl`);
    await putMany(table, ['ok1', 'poison', 'ok2'].map((id) => item('booking', id)));
    const { poller, calls, logs } = await poll(
      table,
      (event) => {
        const poison = event.Records.find((record) => record.dynamodb?.NewImage?.['id']?.S === 'poison');
        return poison ? { batchItemFailures: [{ itemIdentifier: sequence(poison) }] } : undefined;
      },
      { failureFile }, // default backoff: 100, 200, 400, 800 ms
    );
    await poller.idle();
    expect(calls.map(ids)).toEqual([
      ['ok1', 'poison', 'ok2'],
      ['poison', 'ok2'],
      ['poison', 'ok2'],
      ['poison', 'ok2'],
      ['poison', 'ok2'],
    ]);
    const pauses = calls.slice(1).map((call, index) => call.at - calls[index]!.at);
    for (let index = 1; index < pauses.length; index++) expect(pauses[index]!).toBeGreaterThan(pauses[index - 1]!);

    // Only the record the handler named goes to the failure file; ok2 was handled in the same batches.
    const failures = await readLines<{ attempts: number; reason: string; shard: string; record: DynamoDBRecord }>(failureFile);
    expect(failures).toEqual([
      expect.objectContaining({ attempts: 5, reason: 'handler reported 1 failed record(s)', record: calls[1]!.event.Records[0] }),
    ]);
    expect(logs.filter((entry) => entry.event === 'gave-up')).toEqual([expect.objectContaining({ attempts: 5, records: 1, failureFile })]);

    // Reading goes on after the batch given up on.
    await put(table, item('booking', 'after'));
    await poller.idle();
    expect(calls.slice(5).map(ids)).toEqual([['after']]);
  });

  it('writes every record of a batch that kept throwing to the failure file', async () => {
    const table = await freshTable();
    const failureFile = join(dir, `failures-${randomUUID()}.jsonl`);
    await putMany(table, ['x1', 'x2'].map((id) => item('order', id)));
    const { poller, calls } = await poll(
      table,
      () => {
        throw new Error('always');
      },
      { failureFile, retryDelayMs: () => 5 },
    );
    await poller.idle();
    expect(calls).toHaveLength(5);
    const failures = await readLines<{ attempts: number; reason: string; record: DynamoDBRecord }>(failureFile);
    expect(failures.map((line) => [line.record.dynamodb?.NewImage?.['id']?.S, line.attempts, line.reason])).toEqual([
      ['x1', 5, 'Error: always'],
      ['x2', 5, 'Error: always'],
    ]);
  });

  it('with bisectBatchOnError, splits a batch that keeps throwing until the bad record is alone', async () => {
    const table = await freshTable();
    const failureFile = join(dir, `failures-${randomUUID()}.jsonl`);
    await putMany(table, ['ok1', 'ok2', 'poison', 'ok3', 'ok4'].map((id) => item('booking', id)));
    const { poller, calls, logs } = await poll(
      table,
      (event) => {
        if (event.Records.some((record) => record.dynamodb?.NewImage?.['id']?.S === 'poison')) throw new Error('cannot evaluate poison');
      },
      { failureFile, bisectBatchOnError: true, retryDelayMs: () => 5 },
    );
    await poller.idle();
    expect(calls.map(ids)).toEqual([
      ['ok1', 'ok2', 'poison', 'ok3', 'ok4'],
      ['ok1', 'ok2', 'poison'],
      ['ok1', 'ok2'],
      ['poison', 'ok3', 'ok4'],
      ['poison', 'ok3'],
      ['poison'],
      ['poison'],
      ['poison'],
      ['poison'],
      ['poison'],
      ['ok3', 'ok4'],
    ]);
    expect(logs.filter((entry) => entry.event === 'bisect')).toHaveLength(4);
    const failures = await readLines<{ attempts: number; record: DynamoDBRecord }>(failureFile);
    expect(failures.map((line) => [line.record.dynamodb?.NewImage?.['id']?.S, line.attempts])).toEqual([['poison', 5]]);
  });

  it('keeps checkpoints in a file and resumes after them on restart', async () => {
    const table = await freshTable();
    const checkpointFile = join(dir, `checkpoints-${randomUUID()}.json`);
    // First start on a table with old records and no checkpoints, at LATEST: the old one is skipped.
    await put(table, item('invoice', 'old'));
    let run = await poll(table, undefined, { checkpointFile, startingPosition: 'LATEST' });
    await run.poller.stop();
    // Nothing was processed, yet a restart does not fall back to the start of the stream.
    run = await poll(table, undefined, { checkpointFile, startingPosition: 'TRIM_HORIZON' });
    await put(table, item('invoice', 'a'));
    await put(table, item('invoice', 'b'));
    await run.poller.idle();
    expect(run.calls.flatMap(ids)).toEqual(['a', 'b']);
    await run.poller.stop();

    const saved = JSON.parse(await readFile(checkpointFile, 'utf8')) as { streamArn: string; shards: Record<string, { sequenceNumber?: string }> };
    expect(saved.streamArn).toBe(run.poller.streamArn);
    expect(Object.values(saved.shards).map((shard) => shard.sequenceNumber)).toContain(sequence(run.calls.at(-1)!.event.Records.at(-1)!));

    await put(table, item('invoice', 'while-stopped'));
    run = await poll(table, undefined, { checkpointFile, startingPosition: 'LATEST' });
    await put(table, item('invoice', 'c'));
    await run.poller.idle();
    expect(run.calls.flatMap(ids)).toEqual(['while-stopped', 'c']);
  });

  it('reads the first record of a shard that was empty when it started, whatever other tables wrote meanwhile', async () => {
    // DynamoDB Local numbers records across all its tables, and answers an iterator made on an
    // empty shard with TrimmedDataAccessException once the shard's first record arrives.
    for (const startingPosition of ['LATEST', 'TRIM_HORIZON'] as const) {
      const table = await freshTable();
      const other = await freshTable();
      const { poller, calls } = await poll(table, undefined, { startingPosition });
      await poller.idle();
      await put(other, item('booking', 'elsewhere'));
      await put(table, item('booking', 'first'));
      await put(table, item('booking', 'second'));
      await poller.idle();
      expect(calls.flatMap(ids), startingPosition).toEqual(['first', 'second']);
    }
  });

  it('replays the last batch on demand', async () => {
    const table = await freshTable();
    const { poller, calls } = await poll(table, undefined, { startingPosition: 'LATEST' });
    expect(poller.lastEvent()).toBeUndefined();
    await put(table, item('booking', 'once'));
    await poller.idle();
    const last = poller.lastEvent()!;
    await expect(poller.replay(last)).resolves.toBeUndefined();
    expect(calls.map((call) => call.event)).toEqual([last, last]);
  });

  it('a handler that outlives its timeout fails the batch', async () => {
    const table = await freshTable();
    await put(table, item('lead', 'slow'));
    const { poller, calls, logs } = await poll(
      table,
      async (_event, call) => {
        if (call === 1) await new Promise((resolve) => setTimeout(resolve, 300));
      },
      { timeoutMs: 50, retryDelayMs: () => 5 },
    );
    await poller.idle();
    expect(calls).toHaveLength(2);
    expect(logs.find((entry) => entry.event === 'invoke')).toMatchObject({ result: 'failed', error: 'Error: evaluator timed out after 50 ms' });
  });
});

// ---------------------------------------------------------------------------------------------

describe('SQS event source', () => {
  interface Received {
    readonly event: SQSEvent;
    readonly context: Context;
  }
  let sqsServer: SqsLocal;
  let sqs: SQSClient;
  beforeAll(async () => {
    sqsServer = await startSqsLocal({ port: 0 });
    sqs = createLocalSqsClient(sqsServer.endpoint);
  });
  afterAll(async () => {
    sqs.destroy();
    await sqsServer.close();
  });

  const freshQueues = () => {
    const name = `q-${randomUUID().slice(0, 8)}`;
    return ensureDeliveryQueues(sqs, { name, deadLetterName: `${name}-dlq`, visibilityTimeoutSeconds: 30, maxReceives: 5 }).then((queues) => ({ ...queues, deadLetterName: `${name}-dlq` }));
  };
  const sourceWith = (
    queues: DeliveryQueues,
    respond: (event: SQSEvent) => SQSBatchResponse | void | Promise<SQSBatchResponse | void>,
    client: SQSClient = sqs,
  ) => {
    const received: Received[] = [];
    const source = startSqsEventSource({
      handler: async (event, context) => {
        received.push({ event: structuredClone(event), context });
        return respond(event);
      },
      sqs: client,
      queueUrl: queues.queueUrl,
      queueArn: queues.queueArn,
      log: false,
      redeliveryDelaySeconds: () => 1,
    });
    return { source, received };
  };
  const body = (id: string) => JSON.stringify({ id, channel: 'email', text: `intent ${id} ✓` });
  const enqueue = (queues: DeliveryQueues, ids: readonly string[], client: SQSClient = sqs) =>
    sqsDeliveryQueue(client, queues.queueUrl).enqueue(ids.map((id) => ({ id, body: body(id) })));
  const idOf = (record: SQSRecord) => (JSON.parse(record.body) as { id: string }).id;

  it('invokes the handler with SQS records in the shape Lambda builds, at most 10 per batch, and deletes what succeeded', async () => {
    const queues = await freshQueues();
    const before = Date.now();
    await enqueue(queues, Array.from({ length: 25 }, (_, index) => `m${index}`));
    const { source, received } = sourceWith(queues, () => undefined);
    try {
      await source.idle();
      expect(Math.max(...received.map(({ event }) => event.Records.length))).toBeLessThanOrEqual(10);
      const ids = received.flatMap(({ event }) => event.Records.map(idOf));
      expect(ids.sort()).toEqual(Array.from({ length: 25 }, (_, index) => `m${index}`).sort());
      const record = received[0]!.event.Records[0]!;
      expect(record).toEqual({
        messageId: expect.any(String),
        receiptHandle: expect.any(String),
        body: body(idOf(record)),
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: expect.stringMatching(/^\d{13}$/),
          SenderId: expect.any(String),
          ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d{13}$/),
        },
        messageAttributes: {},
        md5OfBody: createHash('md5').update(record.body).digest('hex'),
        eventSource: 'aws:sqs',
        eventSourceARN: queues.queueArn,
        awsRegion: 'us-east-1',
      });
      expect(Number(record.attributes.SentTimestamp)).toBeGreaterThanOrEqual(before);
      expect(received[0]!.context.functionName).toBe('client-messages-local-delivery');
      expect(await queueDepth(sqs, queues.queueUrl)).toBe(0);
    } finally {
      await source.stop();
    }
  });

  it('brings failed records back with a growing ApproximateReceiveCount, and the redrive policy dead-letters them after 5 receives', async () => {
    const queues = await freshQueues();
    await enqueue(queues, ['good', 'flaky', 'bad']);
    const { source, received } = sourceWith(queues, (event) => ({
      batchItemFailures: event.Records.filter((record) => idOf(record) === 'bad' || (idOf(record) === 'flaky' && Number(record.attributes.ApproximateReceiveCount) < 3)).map((record) => ({
        itemIdentifier: record.messageId,
      })),
    }));
    try {
      await source.idle();
      const receives = (id: string) => received.flatMap(({ event }) => event.Records.filter((record) => idOf(record) === id));
      expect(receives('good').map((r) => r.attributes.ApproximateReceiveCount)).toEqual(['1']);
      expect(receives('flaky').map((r) => r.attributes.ApproximateReceiveCount)).toEqual(['1', '2', '3']);
      const bad = receives('bad');
      expect(bad.map((r) => r.attributes.ApproximateReceiveCount)).toEqual(['1', '2', '3', '4', '5']);
      expect(new Set(bad.map((r) => r.attributes.ApproximateFirstReceiveTimestamp)).size).toBe(1);
      expect(deadLetters(sqsServer.server, queues.deadLetterName).map((dead) => dead.body)).toEqual([body('bad')]);
    } finally {
      await source.stop();
    }
  });

  it('counts a thrown error or an unknown item identifier as a failure of every record in the batch', async () => {
    const queues = await freshQueues();
    await enqueue(queues, ['a', 'b']);
    const { source, received } = sourceWith(queues, (event) => {
      const receiveCount = event.Records[0]!.attributes.ApproximateReceiveCount;
      if (receiveCount === '1') throw new Error('delivery exploded');
      if (receiveCount === '2') return { batchItemFailures: [{ itemIdentifier: '' }] };
      return { batchItemFailures: [] };
    });
    try {
      await source.idle();
      // Redelivered messages may come back together or apart, as from SQS.
      const receives = received.flatMap(({ event }) => event.Records.map((record) => `${idOf(record)}:${record.attributes.ApproximateReceiveCount}`));
      expect(receives.sort()).toEqual(['a:1', 'a:2', 'a:3', 'b:1', 'b:2', 'b:3']);
    } finally {
      await source.stop();
    }
  });

  it('keeps what it received but did not finish in the persisted queue: after a restart it comes back, received again', async () => {
    const dataDir = mkdtempSync(join(dir, 'sqs-'));
    const first = await startSqsLocal({ port: 0, dataDir });
    const firstClient = createLocalSqsClient(first.endpoint);
    const name = `q-${randomUUID().slice(0, 8)}`;
    const queues = await ensureDeliveryQueues(firstClient, { name, visibilityTimeoutSeconds: 1, maxReceives: 5, deadLetterName: `${name}-dlq` });
    await enqueue(queues, ['unfinished'], firstClient);
    // The handler never answers: the process "dies" with the message in flight.
    let started!: () => void;
    const inFlight = new Promise<void>((resolve) => (started = resolve));
    const stuck = sourceWith(queues, () => {
      started();
      return new Promise<never>(() => undefined);
    }, firstClient);
    await inFlight;
    void stuck.source.stop();
    await first.close();
    firstClient.destroy();

    const second = await startSqsLocal({ port: 0, dataDir });
    const secondClient = createLocalSqsClient(second.endpoint);
    const restarted = sourceWith(queues, () => undefined, secondClient);
    try {
      await expect.poll(() => restarted.received.length, { timeout: 10_000, interval: 50 }).toBe(1);
      const record = restarted.received[0]!.event.Records[0]!;
      expect([idOf(record), record.attributes.ApproximateReceiveCount]).toEqual(['unfinished', '2']);
    } finally {
      await restarted.source.stop();
      secondClient.destroy();
      await second.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe('local SES server', () => {
  it('receives a SendEmail from the real SESv2 client, configured by AWS_ENDPOINT_URL_SESV2 as in the handlers', async () => {
    const ses = await startSesLocal({ port: 0 });
    const previous = process.env['AWS_ENDPOINT_URL_SESV2'];
    process.env['AWS_ENDPOINT_URL_SESV2'] = ses.endpoint;
    const sesClient = new SESv2Client({}); // endpoint, region and credentials from the environment
    try {
      const before = (await ses.sentEmails()).length;
      const to = `ana-${randomUUID()}@example.com`;
      const result = await sesClient.send(
        new SendEmailCommand({
          FromEmailAddress: 'no-reply@example.com',
          Destination: { ToAddresses: [to] },
          Content: {
            Simple: {
              Subject: { Data: 'Reserva confirmada ✓', Charset: 'UTF-8' },
              Body: { Text: { Data: 'Hola Ana', Charset: 'UTF-8' }, Html: { Data: '<p>Hola Ana</p>', Charset: 'UTF-8' } },
            },
          },
          EmailTags: [{ Name: 'tenant', Value: 'acme' }],
        }),
      );
      expect(result.MessageId).toEqual(expect.any(String));
      const emails = (await ses.sentEmails()).slice(before);
      expect(emails).toEqual([
        expect.objectContaining({
          messageId: result.MessageId,
          from: 'no-reply@example.com',
          destination: { to: [to], cc: [], bcc: [] },
          subject: 'Reserva confirmada ✓',
          body: { text: 'Hola Ana', html: '<p>Hola Ana</p>' },
        }),
      ]);
      // The web page for people.
      const page = await fetch(`${ses.endpoint}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
    } finally {
      sesClient.destroy();
      if (previous === undefined) delete process.env['AWS_ENDPOINT_URL_SESV2'];
      else process.env['AWS_ENDPOINT_URL_SESV2'] = previous;
      await ses.close();
    }
  });

  it('fails clearly when its port is taken', async () => {
    const ses = await startSesLocal({ port: 0 });
    try {
      await expect(startSesLocal({ port: ses.port })).rejects.toThrow(`Port ${ses.port} is already in use`);
    } finally {
      await ses.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe('SMS outbox display', () => {
  it('prints each SMS added after it started, as one readable line', async () => {
    const file = join(dir, `outbox-${randomUUID()}.jsonl`);
    writeFileSync(file, `${JSON.stringify({ id: 'old', to: '+34600000000', text: 'before start' })}\n`);
    const seen: OutboxSms[] = [];
    const tail = await tailSmsOutbox(file, (sms) => seen.push(sms), 20);
    try {
      const sender = smsOutbox(file);
      await sender.send({ tenantId: 'acme', messageId: 'm1', to: '+34612345678', text: 'Hola Ana, tu cita es mañana\na las 10:00' });
      // A line written in two pieces is shown once it is complete.
      const line = JSON.stringify({ id: 'x', to: '+33612345678', text: 'Bonjour 😀' });
      appendFileSync(file, line.slice(0, 20));
      await new Promise((resolve) => setTimeout(resolve, 100));
      appendFileSync(file, `${line.slice(20)}\n`);
      await expect.poll(() => seen.length, { timeout: 2_000 }).toBe(2);
      expect(seen.map(formatSms)).toEqual(['SMS to +34612345678: Hola Ana, tu cita es mañana ⏎ a las 10:00', 'SMS to +33612345678: Bonjour 😀']);
    } finally {
      await tail.stop();
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe('startApi({ messaging })', () => {
  it('runs stream → evaluator → queue → delivery → SES and SMS outbox, settles, and replays the last batch', async () => {
    let sqsClient: SQSClient | undefined;
    const fixtureEvaluator = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
      // Like the real evaluator: the queue and its endpoint from the environment local mode sets.
      sqsClient ??= new SQSClient({ useQueueUrlAsEndpoint: false });
      await sqsDeliveryQueue(sqsClient, process.env['DELIVERY_QUEUE_URL']!).enqueue(
        event.Records.flatMap((record) => {
          const id = record.dynamodb!.NewImage!['id']!.S!;
          return [
            { id: `${id}-email`, body: JSON.stringify({ channel: 'email', to: record.dynamodb!.NewImage!['email']!.S!, id }) },
            { id: `${id}-sms`, body: JSON.stringify({ channel: 'sms', to: '+34612345678', id }) },
          ];
        }),
      );
      return { batchItemFailures: [] };
    };
    let sesClient: SESv2Client | undefined;
    const fixtureDelivery = async (event: SQSEvent): Promise<SQSBatchResponse> => {
      // Like the real delivery handler: clients from the environment local mode sets.
      sesClient ??= new SESv2Client({});
      const sms = smsOutbox(process.env['SMS_OUTBOX_FILE']!);
      for (const record of event.Records) {
        const body = JSON.parse(record.body) as { channel: string; to: string; id: string };
        if (body.channel === 'sms') await sms.send({ tenantId: 'acme', messageId: body.id, to: body.to, text: `SMS for ${body.id}` });
        else {
          await sesClient.send(
            new SendEmailCommand({
              FromEmailAddress: process.env['SENDER_EMAIL'],
              Destination: { ToAddresses: [body.to] },
              Content: { Simple: { Subject: { Data: `Mail for ${body.id}` }, Body: { Text: { Data: 'hello' } } } },
            }),
          );
        }
      }
      return { batchItemFailures: [] };
    };

    const tenant = `msg-${randomUUID().slice(0, 8)}`;
    const api = await startApi({ areas: [], messaging: { evaluator: fixtureEvaluator, delivery: fixtureDelivery } });
    try {
      await expect(startApi({ areas: [], messaging: true })).rejects.toThrow(/Another startApi\(\{ messaging \}\)/);
      await api.tokenFor(tenant); // the API's own tenant: its records reach the evaluator
      const { tableName } = api.env;
      const record = (tenantId: string, id: string) => ({ ...item('booking', id, { email: s(`${id}@example.com`) }), pk: s(`T#${tenantId}`) });
      await put(tableName, record(tenant, 'bk1'));
      await put(tableName, record(`other-${randomUUID().slice(0, 8)}`, 'bk-other')); // another test's tenant: not ours
      await api.settle();

      expect((await api.sentEmails()).map((email) => [email.destination.to, email.subject, email.from])).toEqual([[['bk1@example.com'], 'Mail for bk1', 'no-reply@example.com']]);
      expect((await api.sentSms()).map((sms) => [sms.to, sms.text])).toEqual([['+34612345678', 'SMS for bk1']]);
      expect(api.streamEvents()).toHaveLength(1);
      expect(api.deliveryEvents().flatMap((event) => event.Records.map((r) => JSON.parse(r.body).channel)).sort()).toEqual(['email', 'sms']);

      await expect(api.replayLastBatch()).resolves.toEqual({ batchItemFailures: [] });
      const events = api.streamEvents();
      expect(events).toHaveLength(2);
      expect(events[1]).toEqual(events[0]);
      // The fixture is not idempotent, so the replay shows as a second mail (the real handlers must not).
      expect(await api.sentEmails()).toHaveLength(2);
      expect(await api.streamFailures()).toEqual([]);
      expect(await api.deadLetters()).toEqual([]);
    } finally {
      await api.close();
    }

    // A second messaging API in the same file: same SES endpoint (the handlers' clients keep it), fresh views.
    const again = await startApi({ areas: [], messaging: { evaluator: fixtureEvaluator, delivery: fixtureDelivery } });
    try {
      expect(await again.sentEmails()).toEqual([]);
      await again.tokenFor(tenant);
      await put(again.env.tableName, { ...item('booking', 'bk2', { email: s('bk2@example.com') }), pk: s(`T#${tenant}`) });
      await again.settle();
      expect((await again.sentEmails()).map((email) => email.subject)).toEqual(['Mail for bk2']);
      expect((await again.sentSms()).map((sms) => sms.text)).toEqual(['SMS for bk2']);
    } finally {
      await again.close();
      sesClient?.destroy();
      sqsClient?.destroy();
    }
  });
});
