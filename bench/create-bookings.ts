/**
 * Benchmark: create bookings through the real booking routes and record store, in-process, against
 * DynamoDB Local; compare with the floor, one raw PutItem of the same item, measured in the same run.
 *
 *   npm run bench            (BENCH_BOOKINGS=1000 by default)
 */
import { ulid } from 'ulid';
import { createDocumentClient, dynamoRecordStore } from '#adapters/dynamodb/record-store.ts';
import { dynamoMessageLog } from '#adapters/dynamodb/message-log.ts';
import { httpHandler } from '#http/http-handler.ts';
import type { AppDeps } from '#http/deps.ts';
import { routes as bookingRoutes } from '#api/bookings.ts';
import { routes as clientRoutes } from '#api/clients.ts';
import { routes as locationRoutes } from '#api/locations.ts';
import { appDeps } from '#wiring';
import { apiEvent, lambdaContext } from '../test/support/api-event.ts';
import { fmt, measure, rawPutFloor, warmup, withMeteredTable } from './support.ts';

const count = Number(process.env.BENCH_BOOKINGS ?? 1000);
const tableName = 'bench-records';

await withMeteredTable(tableName, async (client, meter) => {
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
  const created = await measure(count, meter, (i) => call('POST /bookings', booking(warmup + i)));
  const at = new Date().toISOString();
  const putMs = await rawPutFloor(client, tableName, 'bench', 'booking', { ...booking(0), status: 'confirmed', version: 1, createdAt: at, updatedAt: at }, count);

  console.log(`bookings created:            ${count} (after ${warmup} warm-up), DynamoDB Local in-memory, one tenant`);
  console.log(`DynamoDB round trips/create: ${created.callsPerOperation.toFixed(2)} (GetItem settings + TransactWriteItems put with client and location checks)`);
  console.log(`latency per create:          p50 ${fmt(created.p50)}, p99 ${fmt(created.p99)}, mean ${fmt(created.meanMs)}`);
  console.log(`floor, raw PutItem:          mean ${fmt(putMs)}`);
  console.log(`ratio create / raw PutItem:  ${(created.meanMs / putMs).toFixed(2)}x`);
  console.log(`own overhead per create:     ${fmt(created.ownMsPerOperation)} (time outside DynamoDB SDK calls: routing, validation, mapping)`);
});
