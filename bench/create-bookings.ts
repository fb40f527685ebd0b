/**
 * Benchmark: create bookings through the real booking routes and record store, in-process, against
 * DynamoDB Local; compare with the floor, one raw PutItem of the same item, measured in the same run.
 *
 *   npm run bench            (BENCH_BOOKINGS=1000 by default)
 */
import { performance } from 'node:perf_hooks';
import { PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { ulid } from 'ulid';
import { createLocalDynamoDbClient, ensureTable, findFreePort, startDynamoDbLocal } from '#local/dynamodb-local.ts';
import { applyLocalEnv } from '#local/local-env.ts';
import { createDocumentClient, dynamoRecordStore } from '#adapters/dynamodb/record-store.ts';
import { dynamoMessageLog } from '#adapters/dynamodb/message-log.ts';
import { itemKeys } from '#adapters/dynamodb/item-keys.ts';
import { httpHandler } from '#http/http-handler.ts';
import type { AppDeps } from '#http/deps.ts';
import { routes as bookingRoutes } from '#handlers/bookings.ts';
import { routes as clientRoutes } from '#handlers/clients.ts';
import { routes as locationRoutes } from '#handlers/locations.ts';
import { appDeps } from '#handlers/wiring.ts';
import { apiEvent, lambdaContext } from '../test/support/api-event.ts';

const count = Number(process.env.BENCH_BOOKINGS ?? 1000);
const warmup = 50;
const tableName = 'bench-records';

/** Counts every DynamoDB call and the time spent inside it. */
function instrument(client: DynamoDBClient) {
  const meter = { calls: 0, ms: 0 };
  client.middlewareStack.add(
    (next) => async (args) => {
      const started = performance.now();
      try {
        return await next(args);
      } finally {
        meter.calls += 1;
        meter.ms += performance.now() - started;
      }
    },
    { step: 'initialize', name: 'benchMeter' },
  );
  return meter;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const fmt = (ms: number) => `${ms.toFixed(3)} ms`;

const dynamodb = await startDynamoDbLocal({ port: await findFreePort() });
try {
  applyLocalEnv({ dynamodbEndpoint: dynamodb.endpoint, tableName });
  const client = createLocalDynamoDbClient(dynamodb.endpoint);
  await ensureTable(client, tableName);
  const meter = instrument(client);
  const documents = createDocumentClient(client);
  // The real wiring, with the store and message log on the metered client.
  const deps: AppDeps = { ...appDeps(), store: dynamoRecordStore(documents, tableName), messages: dynamoMessageLog(documents, tableName), now: () => new Date(), newId: ulid };
  const handler = httpHandler([...bookingRoutes, ...clientRoutes, ...locationRoutes], () => deps);
  const call = async (routeKey: string, body: unknown) => {
    const result = await handler(apiEvent({ routeKey, body, tenantId: 'bench' }), lambdaContext);
    if (result.statusCode !== 201) throw new Error(`${routeKey} answered ${result.statusCode}: ${result.body}`);
    return JSON.parse(result.body!);
  };

  const clientId = (await call('POST /clients', { firstName: 'Bench', email: 'bench@example.com' })).id;
  const locationId = (await call('POST /locations', { name: 'Bench', timeZone: 'Europe/Madrid' })).id;
  const booking = (i: number) => {
    const start = new Date(Date.UTC(2027, 0, 1) + i * 3_600_000);
    return { clientId, locationId, service: 'Haircut', start: start.toISOString(), end: new Date(start.getTime() + 1_800_000).toISOString() };
  };

  for (let i = 0; i < warmup; i++) await call('POST /bookings', booking(i));

  const latencies: number[] = [];
  const before = { ...meter };
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await call('POST /bookings', booking(warmup + i));
    latencies.push(performance.now() - started);
  }
  const calls = meter.calls - before.calls;
  const dynamoMs = meter.ms - before.ms;
  const totalMs = latencies.reduce((sum, ms) => sum + ms, 0);

  // The floor: one raw PutItem of an item like the ones just written, already marshalled.
  const sample = { id: ulid(), ...booking(0), status: 'confirmed', version: 1, createdAt: new Date().toISOString(), updatedAt: new Date().toISOString() };
  const rawItem = (id: string) => marshall({ ...sample, id, ...itemKeys('bench', 'booking', { ...sample, id }), kind: 'booking', tenantId: 'bench' });
  for (let i = 0; i < warmup; i++) await client.send(new PutItemCommand({ TableName: tableName, Item: rawItem(ulid()) }));
  const putStarted = performance.now();
  for (let i = 0; i < count; i++) await client.send(new PutItemCommand({ TableName: tableName, Item: rawItem(ulid()) }));
  const putMs = (performance.now() - putStarted) / count;

  latencies.sort((a, b) => a - b);
  const perCreate = totalMs / count;
  console.log(`bookings created:            ${count} (after ${warmup} warm-up), DynamoDB Local in-memory, one tenant`);
  console.log(`DynamoDB round trips/create: ${(calls / count).toFixed(2)} (GetItem settings + TransactWriteItems put with client and location checks)`);
  console.log(`latency per create:          p50 ${fmt(percentile(latencies, 50))}, p99 ${fmt(percentile(latencies, 99))}, mean ${fmt(perCreate)}`);
  console.log(`floor, raw PutItem:          mean ${fmt(putMs)}`);
  console.log(`ratio create / raw PutItem:  ${(perCreate / putMs).toFixed(2)}x`);
  console.log(`own overhead per create:     ${fmt((totalMs - dynamoMs) / count)} (time outside DynamoDB SDK calls: routing, validation, mapping)`);
  client.destroy();
} finally {
  await dynamodb.stop();
}
