import { performance } from 'node:perf_hooks';
import { PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { ulid } from 'ulid';
import { itemKeys } from '#adapters/dynamodb/item-keys.ts';
import { createLocalDynamoDbClient, ensureTable, findFreePort, startDynamoDbLocal } from '#local/dynamodb-local.ts';
import { applyLocalEnv } from '#local/local-env.ts';

/** What the benchmarks share: DynamoDB Local with a metered client, the raw-PutItem floor, and how figures print. */

export const warmup = 50;

/**
 * Counts every DynamoDB call, and the wall time during which at least one is in flight: calls made
 * side by side count once, so what is left of a request's time is our own.
 */
function instrument(client: DynamoDBClient) {
  const meter = { calls: 0, ms: 0 };
  let inFlight = 0;
  let busySince = 0;
  client.middlewareStack.add(
    (next) => async (args) => {
      if (inFlight++ === 0) busySince = performance.now();
      try {
        return await next(args);
      } finally {
        meter.calls += 1;
        if (--inFlight === 0) meter.ms += performance.now() - busySince;
      }
    },
    { step: 'initialize', name: 'benchMeter' },
  );
  return meter;
}

/** Runs `bench` against a fresh DynamoDB Local (in-memory) with the local environment applied, then stops it. */
export async function withMeteredTable(tableName: string, bench: (client: DynamoDBClient, meter: { calls: number; ms: number }) => Promise<void>): Promise<void> {
  const dynamodb = await startDynamoDbLocal({ port: await findFreePort() });
  try {
    applyLocalEnv({ dynamodbEndpoint: dynamodb.endpoint, tableName });
    const client = createLocalDynamoDbClient(dynamodb.endpoint);
    await ensureTable(client, tableName);
    try {
      await bench(client, instrument(client));
    } finally {
      client.destroy();
    }
  } finally {
    await dynamodb.stop();
  }
}

/** Calls `operation` `count` times in sequence and measures each call and the DynamoDB calls it made. */
export async function measure(count: number, meter: { calls: number; ms: number }, operation: (i: number) => Promise<unknown>) {
  const latencies: number[] = [];
  const before = { ...meter };
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await operation(i);
    latencies.push(performance.now() - started);
  }
  latencies.sort((a, b) => a - b);
  const totalMs = latencies.reduce((sum, ms) => sum + ms, 0);
  return {
    callsPerOperation: (meter.calls - before.calls) / count,
    meanMs: totalMs / count,
    ownMsPerOperation: (totalMs - (meter.ms - before.ms)) / count,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

/** The floor: the mean time of one raw PutItem of an item like `record`, already marshalled. */
export async function rawPutFloor(client: DynamoDBClient, tableName: string, tenantId: string, kind: string, record: Record<string, unknown>, count: number): Promise<number> {
  const item = (id: string) => marshall({ ...record, id, ...itemKeys(tenantId, kind, { ...record, id, createdAt: String(record.createdAt) }), kind, tenantId }, { removeUndefinedValues: true });
  for (let i = 0; i < warmup; i++) await client.send(new PutItemCommand({ TableName: tableName, Item: item(ulid()) }));
  const started = performance.now();
  for (let i = 0; i < count; i++) await client.send(new PutItemCommand({ TableName: tableName, Item: item(ulid()) }));
  return (performance.now() - started) / count;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
export const fmt = (ms: number) => `${ms.toFixed(3)} ms`;
