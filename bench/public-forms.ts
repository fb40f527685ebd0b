/**
 * Benchmark: contact forms through the real public route, intake and record store, in-process,
 * against DynamoDB Local: from people new to the business (a lead is created) and from people it
 * knows (matched by email); compared with the floor, one raw PutItem of the inbound item, measured
 * in the same run.
 *
 *   npm run bench            (BENCH_FORMS=500 by default)
 */
import { ulid } from 'ulid';
import { createDocumentClient, dynamoRecordStore } from '#adapters/dynamodb/record-store.ts';
import { dynamoMessageLog } from '#adapters/dynamodb/message-log.ts';
import { dynamoRateLimiter } from '#adapters/dynamodb/rate-limiter.ts';
import { httpHandler } from '#http/http-handler.ts';
import type { AppDeps } from '#http/deps.ts';
import { routes as publicRoutes } from '#api/public.ts';
import { routes as settingsRoutes } from '#api/settings.ts';
import { appDeps } from '#wiring';
import { apiEvent, lambdaContext } from '../test/support/api-event.ts';
import { fmt, measure, rawPutFloor, warmup, withMeteredTable } from './support.ts';

const count = Number(process.env.BENCH_FORMS ?? 500);
const tableName = 'bench-public';
// The rate limits are not what is measured here; every form comes from one sender.
process.env.PUBLIC_RATE_LIMIT = String(10 * (count + warmup));
process.env.PUBLIC_SENDER_RATE_LIMIT = String(10 * (count + warmup));

await withMeteredTable(tableName, async (client, meter) => {
  const documents = createDocumentClient(client);
  const deps: AppDeps = {
    ...appDeps(),
    store: dynamoRecordStore(documents, tableName),
    messages: dynamoMessageLog(documents, tableName),
    rateLimiter: dynamoRateLimiter(documents, tableName),
    now: () => new Date(),
    newId: ulid,
  };
  const handler = httpHandler([...settingsRoutes, ...publicRoutes], () => deps);
  const send = async (routeKey: string, options: Parameters<typeof apiEvent>[0], status: number) => {
    const result = await handler(apiEvent(options), lambdaContext);
    if (result.statusCode !== status) throw new Error(`${routeKey} answered ${result.statusCode}: ${result.body}`);
  };
  const settings = { businessName: 'Bench', slug: 'bench-salon', timeZone: 'Europe/Madrid', defaultLanguage: 'es', bookingApproval: 'automatic', orderStatuses: ['New'], leadStatuses: ['New'] };
  await send('PUT /settings', { routeKey: 'PUT /settings', body: settings, headers: { 'if-match': '"0"' }, tenantId: 'bench' }, 200);

  const contact = (person: number) =>
    send(
      'POST /public/{slug}/contact',
      { routeKey: 'POST /public/{slug}/contact', pathParameters: { slug: 'bench-salon' }, tenantId: null, body: { firstName: 'Ana', email: `person-${person}@example.com`, message: '¿Tenéis hueco el sábado?' } },
      202,
    );

  for (let i = 0; i < warmup; i++) await contact(-1 - i);
  const newPeople = await measure(count, meter, (i) => contact(i));
  const knownPeople = await measure(count, meter, (i) => contact(i));
  const at = new Date().toISOString();
  const inbound = { clientId: ulid(), direction: 'inbound', channel: 'web', messageType: 'contact_form', audience: 'client', status: 'received', replyChannel: 'email', replyTo: 'ana@example.com', text: '¿Tenéis hueco el sábado?', attempts: 0, version: 1, createdAt: at, updatedAt: at };
  const putMs = await rawPutFloor(client, tableName, 'bench', 'message', inbound, count);

  console.log(`contact forms:               ${count} from new people, then ${count} from the same people again (after ${warmup} warm-up), DynamoDB Local in-memory`);
  console.log(`DynamoDB calls/form:         new ${newPeople.callsPerOperation.toFixed(2)}, known ${knownPeople.callsPerOperation.toFixed(2)} (slug claim and sender counter side by side; business counter and settings side by side; email claim; [client;] one TransactWriteItems)`);
  console.log(`latency per form:            new p50 ${fmt(newPeople.p50)} p99 ${fmt(newPeople.p99)}; known p50 ${fmt(knownPeople.p50)} p99 ${fmt(knownPeople.p99)}`);
  console.log(`floor, raw PutItem:          mean ${fmt(putMs)}`);
  console.log(`ratio form / raw PutItem:    new ${(newPeople.meanMs / putMs).toFixed(2)}x, known ${(knownPeople.meanMs / putMs).toFixed(2)}x`);
  console.log(`own overhead per form:       new ${fmt(newPeople.ownMsPerOperation)}, known ${fmt(knownPeople.ownMsPerOperation)} (outside DynamoDB SDK calls: validation, matching, mapping)`);
});
