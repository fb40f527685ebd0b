/**
 * `npm start`: the whole system on this machine, no AWS account needed.
 *   DynamoDB Local (data in .local/dynamodb, kept across restarts) + the API handlers behind a local
 *   API Gateway stand-in that verifies locally signed tokens (`npm run --silent token -- acme`)
 *   + the message path: the table's stream polled into the evaluator, its requests sent to the
 *   delivery queue on the SQS emulator (fauxqs, kept in .local/sqs), polled into the delivery handler
 *   as Lambda's event source would; email to aws-ses-v2-local (web page on SES_PORT, mail kept in
 *   .local/ses-sent.jsonl), SMS to .local/sms-outbox.jsonl; timed messages wait in a schedules table
 *   until the schedule runner sends them to the delivery queue; documents uploaded through the
 *   public widget go to .local/documents by the API's own signed URLs; `npm run clock -- +2h` moves
 *   the whole stack's clock (local/clock-control.ts), kept in .local/clock-offset.json.
 * Everything is kept on disk as it happens, so a SIGKILL of the whole process group loses nothing a
 * restart on the same data does not finish (see the README's reliability section).
 * Environment: PORT (3000), HOST (127.0.0.1), DYNAMODB_PORT (8000), SES_PORT (8005), SQS_PORT (4566),
 * SENDER_EMAIL, DELIVERY_TIMEOUT_SECONDS (30, the delivery function's timeout), LOCAL_DIR (.local:
 * data, outbox, documents, queues and mail), LOCAL_JWT_SECRET_FILE (.local/jwt-secret).
 */
import { randomBytes } from 'node:crypto';
import { join, relative } from 'node:path';
import { localScheduler } from '#local/adapters/dynamodb-scheduler.ts';
import { createDocumentClient } from '#adapters/dynamodb/record-store.ts';
import { sqsDeliveryQueue } from '#adapters/sqs/delivery-queue.ts';
import { startSqsEventSource, type SqsHandler } from '#local/sqs-event-source.ts';
import { createLocalSqsClient, ensureDeliveryQueues, LOCAL_DELIVERY_DEAD_LETTERS, LOCAL_IMPORT_DEAD_LETTERS, LOCAL_IMPORT_QUEUE, startSqsLocal } from '#local/sqs-local.ts';
import { createLocalDynamoDbClient, ensureSchedulesTable, ensureTable, startDynamoDbLocal } from '#local/dynamodb-local.ts';
import { startLocalServer, type LocalArea } from '#local/http-server.ts';
import { applyLocalDocumentsEnv, applyLocalEnv, applyLocalPublicUrl, LOCAL_SCHEDULES_TABLE, LOCAL_TABLE_NAME } from '#local/local-env.ts';
import { startScheduleRunner } from '#local/schedule-runner.ts';
import { clockOffsetFile, describeOffset, startClockControl } from '#local/clock-control.ts';
import { startSesLocal } from '#local/ses-local.ts';
import { startMailboxSimulator } from '#local/ses-mailbox-simulator.ts';
import { formatSms, tailSmsOutbox } from '#local/sms-outbox-tail.ts';
import { startStreamPoller, type StreamHandler } from '#local/stream-poller.ts';
import { settleLeftSending } from '#local/sending-sweep.ts';
import { createLocalTokenVerifier, loadOrCreateSecret, repoRoot, secretFilePath } from '#local/token-key.ts';

function integerFrom(name: string, fallback: number, max: number, what: string): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    process.stderr.write(`${name} must be ${what} between 1 and ${max}, got ${JSON.stringify(raw)}\n`);
    process.exit(2);
  }
  return value;
}
const portFrom = (name: string, fallback: number): number => integerFrom(name, fallback, 65_535, 'a port number');

const port = portFrom('PORT', 3000);
const dynamodbPort = portFrom('DYNAMODB_PORT', 8000);
const sesPort = portFrom('SES_PORT', 8005);
const sqsPort = portFrom('SQS_PORT', 4566);
const deliveryTimeoutSeconds = integerFrom('DELIVERY_TIMEOUT_SECONDS', 30, 900, 'a number of seconds');
const host = process.env['HOST'] || '127.0.0.1';
const localDir = process.env['LOCAL_DIR'] || join(repoRoot, '.local');
const dataDir = join(localDir, 'dynamodb');
const smsOutboxFile = join(localDir, 'sms-outbox.jsonl');
const sesIdentitiesFile = join(localDir, 'ses-identities.json');
const checkpointFile = join(localDir, 'stream-checkpoints.json');
const streamFailureFile = join(localDir, 'stream-failures.jsonl');
const sqsDir = join(localDir, 'sqs');
const sesStoreFile = join(localDir, 'ses-sent.jsonl');
const documentsDir = join(localDir, 'documents');

/** A start-up failure whose message says it all (no stack trace needed). */
class StartError extends Error {
  override readonly name = 'StartError';
}

/** What to undo on the way out, newest first. */
const closers: Array<{ name: string; close: () => Promise<void> }> = [];
let stopping = false;

async function closeAll(): Promise<void> {
  while (closers.length > 0) {
    const { name, close } = closers.pop()!;
    try {
      await close();
    } catch (error) {
      process.stderr.write(`Could not stop ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
}

function shutdown(reason: string): void {
  if (stopping) {
    // Second Ctrl-C: don't wait. The 'exit' hook in dynamodb-local.ts still kills java.
    process.stderr.write(`\n${reason} again: exiting now.\n`);
    process.exit(1);
  }
  stopping = true;
  process.stdout.write(`\n${reason}: stopping…\n`);
  closeAll().then(
    () => process.exit(0),
    () => process.exit(1),
  );
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => shutdown(signal));

// `npm start` runs us under `sh -c`. Killing npm (kill <npm pid>) kills that shell but not us, and
// we would run on as an orphan holding the ports: notice the new parent and stop as well.
const parentAtStart = process.ppid;
setInterval(() => {
  if (process.ppid !== parentAtStart && !stopping) shutdown('parent process exited');
}, 1_000).unref();

async function main(): Promise<void> {
  // First: everything started below reads the moved clock from its first tick.
  let fireDue: () => Promise<unknown> = async () => undefined;
  const clockControl = await startClockControl(clockOffsetFile(localDir), (offsetMs) => {
    process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), source: 'clock', event: 'moved', offset: describeOffset(offsetMs), now: new Date(Date.now() + offsetMs).toISOString() })}\n`);
    // What fell due fires now rather than on the runner's next pass.
    fireDue().catch(() => undefined);
  });
  closers.push({ name: 'clock control', close: async () => clockControl.stop() });

  process.stdout.write(`Starting DynamoDB Local on port ${dynamodbPort} (Java)…\n`);
  const dynamodb = await startDynamoDbLocal({ port: dynamodbPort, dbPath: dataDir });
  closers.push({ name: 'DynamoDB Local', close: () => dynamodb.stop() });

  const client = createLocalDynamoDbClient(dynamodb.endpoint);
  let tableCreated: boolean;
  try {
    const { created, updated } = await ensureTable(client, LOCAL_TABLE_NAME);
    tableCreated = created;
    if (created) process.stdout.write(`Created table ${LOCAL_TABLE_NAME}.\n`);
    for (const change of updated) process.stdout.write(`Table ${LOCAL_TABLE_NAME}: added ${change}.\n`);
    if ((await ensureSchedulesTable(client, LOCAL_SCHEDULES_TABLE)).created) process.stdout.write(`Created table ${LOCAL_SCHEDULES_TABLE}.\n`);
  } finally {
    client.destroy();
  }

  const ses = await startSesLocal({ port: sesPort, host, storeFile: sesStoreFile });
  closers.push({ name: 'local SES server', close: () => ses.close() });

  const sqsServer = await startSqsLocal({ port: sqsPort, dataDir: sqsDir });
  closers.push({ name: 'local SQS server', close: () => sqsServer.close() });
  const sqs = createLocalSqsClient(sqsServer.endpoint);
  closers.push({ name: 'SQS client', close: async () => sqs.destroy() });
  const { maxReceiveCount } = await import('#wiring');
  // As on AWS, longer than the function's timeout: a running batch is never received twice.
  const queues = await ensureDeliveryQueues(sqs, { visibilityTimeoutSeconds: deliveryTimeoutSeconds + 5, maxReceives: maxReceiveCount() });
  // The import worker's queue, as deployed: a chunk left by a killed run comes back after 2 minutes.
  const importQueues = await ensureDeliveryQueues(sqs, { name: LOCAL_IMPORT_QUEUE, deadLetterName: LOCAL_IMPORT_DEAD_LETTERS, visibilityTimeoutSeconds: 125, maxReceives: maxReceiveCount() });

  applyLocalEnv({
    dynamodbEndpoint: dynamodb.endpoint,
    tableName: LOCAL_TABLE_NAME,
    sesEndpoint: ses.endpoint,
    smsOutboxFile,
    sesIdentitiesFile,
    sqs: { endpoint: sqsServer.endpoint, deliveryQueueUrl: queues.queueUrl, importQueueUrl: importQueues.queueUrl },
  });

  const secret = await loadOrCreateSecret();
  // Imported only now: handler modules read the environment set above when they load.
  const { apiAreas } = await import('#api/catalog.ts');
  const areas: readonly LocalArea[] = apiAreas;
  const evaluator: StreamHandler = (await import('#lambdas/rule-evaluator.ts')).handler;
  const delivery: SqsHandler = (await import('#lambdas/message-delivery.ts')).handler;
  const importWorker: SqsHandler = (await import('#lambdas/client-import.ts')).handler;

  // Upload and download URLs live only minutes, so a new secret per run loses nothing.
  const documents = { dir: documentsDir, secret: randomBytes(32).toString('base64url') };
  const api = await startLocalServer({ areas, verifyToken: createLocalTokenVerifier(secret), port, host, documents }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE') throw error;
    throw new StartError(`Port ${port} is already in use, so the API cannot listen on it. Stop whatever uses it or choose another port (PORT=3001 npm start).`);
  });
  closers.push({ name: 'HTTP server', close: () => api.close() });
  applyLocalDocumentsEnv({ ...documents, baseUrl: api.url });
  applyLocalPublicUrl(api.url);

  // What a killed run left in the queue comes back once its visibility timeout has passed.
  const eventSource = startSqsEventSource({ handler: delivery, sqs, queueUrl: queues.queueUrl, queueArn: queues.queueArn, timeoutMs: deliveryTimeoutSeconds * 1000 });
  closers.push({ name: 'delivery event source', close: () => eventSource.stop() });
  const importSource = startSqsEventSource({
    handler: importWorker,
    sqs,
    queueUrl: importQueues.queueUrl,
    queueArn: importQueues.queueArn,
    functionName: 'client-import',
    batchSize: 1,
    maxConcurrency: 2,
    timeoutMs: 120_000,
  });
  closers.push({ name: 'import event source', close: () => importSource.stop() });

  // Schedules kept from the last run that fell due meanwhile fire on its first pass.
  const schedulesClient = createLocalDynamoDbClient(dynamodb.endpoint);
  const scheduleRunner = startScheduleRunner({
    scheduler: localScheduler(createDocumentClient(schedulesClient), LOCAL_SCHEDULES_TABLE),
    queue: sqsDeliveryQueue(sqs, queues.queueUrl),
  });
  fireDue = () => scheduleRunner.fireDue();
  closers.push({
    name: 'schedule runner',
    close: async () => {
      await scheduleRunner.stop();
      schedulesClient.destroy();
    },
  });

  // What a killed run left `sending` is settled from the providers' evidence: now, and once more
  // when every lease the killed run held has passed.
  const { deliveryDeps } = await import('#wiring');
  const sweepClient = createLocalDynamoDbClient(dynamodb.endpoint);
  const sweep = async (): Promise<void> => {
    try {
      const settled = await settleLeftSending(createDocumentClient(sweepClient), LOCAL_TABLE_NAME, deliveryDeps());
      if (settled.sent + settled.unknown > 0) process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), source: 'recovery', event: 'settled-left-sending', ...settled })}\n`);
    } catch (error) {
      process.stderr.write(`Could not settle the messages a killed run left sending: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  };
  await sweep();
  const secondSweep = setTimeout(() => void sweep(), (deliveryTimeoutSeconds + 1) * 1000);
  closers.push({
    name: 'recovery',
    close: async () => {
      clearTimeout(secondSweep);
      sweepClient.destroy();
    },
  });

  // A table made just now has nothing old in its stream; on a table kept from a run before the
  // message path existed (no checkpoints yet), old writes are not replayed as new messages.
  const poller = await startStreamPoller({
    endpoint: dynamodb.endpoint,
    tableName: LOCAL_TABLE_NAME,
    handler: evaluator,
    checkpointFile,
    failureFile: streamFailureFile,
    startingPosition: tableCreated ? 'TRIM_HORIZON' : 'LATEST',
    bisectBatchOnError: true, // as the deployed event source mapping (lib/rule-evaluator.ts)
  });
  closers.push({ name: 'stream poller', close: () => poller.stop() });

  // SES's events, as the mailbox simulator's addresses call for, through the same handler as on
  // AWS. Mail of a run before is replayed only for its last 10 minutes (what a kill may have cut
  // short): its events are kept once, so a replay changes nothing else.
  const { handleEmailEvent } = await import('#lambdas/email-events.ts');
  const { emailEventsDeps } = await import('#wiring');
  const stored = await ses.sentEmails();
  const recent = stored.findIndex((email) => email.at * 1000 >= Date.now() - 600_000);
  const simulator = startMailboxSimulator({
    sentEmails: () => ses.sentEmails(),
    handle: (event) => handleEmailEvent(event, emailEventsDeps()),
    skip: recent === -1 ? stored.length : recent,
    onError: (error) => process.stderr.write(`Email events: ${error instanceof Error ? error.message : String(error)}\n`),
  });
  closers.push({ name: 'SES mailbox simulator', close: () => simulator.stop() });

  const smsTail = await tailSmsOutbox(smsOutboxFile, (sms) => process.stdout.write(`${formatSms(sms)}\n`));
  closers.push({ name: 'SMS outbox display', close: () => smsTail.stop() });

  const routes = areas.reduce((count, area) => count + area.routes.length, 0);
  const shown = (path: string): string => relative(process.cwd(), path) || '.';
  const localhost = (started: { port: number }, fallback: string): string =>
    host === '127.0.0.1' || host === '0.0.0.0' ? `http://localhost:${started.port}` : fallback;
  const url = localhost(api, api.url);
  const mail = localhost(ses, ses.endpoint);
  process.stdout.write(
    [
      '',
      `  client-messages API (local)  ${url}`,
      `  ${routes} routes in ${areas.length} areas; one JSON log line per request, stream batch and delivery below.`,
      '',
      '  Token for a tenant:  npm run --silent token -- acme',
      `  Try it:              curl -H "Authorization: Bearer $(npm run --silent token -- acme)" ${url}/...`,
      '',
      `  Sent mail:           ${mail} (web page); GET ${mail}/store (JSON); kept in ${shown(sesStoreFile)}`,
      `  SMS outbox:          ${shown(smsOutboxFile)} (also printed here)`,
      `  Delivery queue:      ${sqsServer.endpoint} (SQS, kept in ${shown(sqsDir)})`,
      `  Failed deliveries:   queue ${LOCAL_DELIVERY_DEAD_LETTERS}: ${sqsServer.endpoint}/_fauxqs/queues/${LOCAL_DELIVERY_DEAD_LETTERS}; failed stream batches: ${shown(streamFailureFile)}`,
      `  Schedules:           table ${LOCAL_SCHEDULES_TABLE}, fired within a second of their time`,
      `  Clock:               ${clockControl.offsetMs() === 0 ? 'real time' : `${describeOffset(clockControl.offsetMs())} from real time`}; move it with npm run clock -- +2h | 2027-03-28T09:00 | reset`,
      `  Uploaded documents:  ${shown(documentsDir)} (PUT and GET through ${api.url}/local-documents/…, signed URLs only; client imports under imports/)`,
      `  Client imports:      queue ${LOCAL_IMPORT_QUEUE}, failed chunks in ${LOCAL_IMPORT_DEAD_LETTERS}`,
      '',
      `  DynamoDB Local:      ${dynamodb.endpoint}  table ${LOCAL_TABLE_NAME}`,
      `  Data kept in:        ${shown(dataDir)}  (delete it to start empty)`,
      `  Signing key:         ${shown(secretFilePath())}`,
      '',
      '  Ctrl-C to stop.',
      '',
      '',
    ].join('\n'),
  );
}

main().catch(async (error: unknown) => {
  process.stderr.write(`\nnpm start failed: ${error instanceof Error ? error.message : String(error)}\n`);
  if (error instanceof Error && !['DynamoDbLocalError', 'SesLocalError', 'SqsLocalError', 'StartError'].includes(error.name) && error.stack) {
    process.stderr.write(`${error.stack}\n`);
  }
  stopping = true;
  await closeAll();
  process.exit(1);
});
