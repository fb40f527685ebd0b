/**
 * Helpers for integration tests: the real API handlers (or fixture areas) behind the local API
 * Gateway stand-in, on an ephemeral port, against the DynamoDB Local started by global-setup.ts.
 *
 *   const api = await startApi();
 *   const res = await fetch(`${api.baseUrl}/settings`, { headers: api.authHeaders('acme') });
 *   await api.close();
 *
 * With `messaging: true` the message path runs too, as in `npm start`: the table's stream polled
 * into the evaluator, a delivery queue of its own on the SQS emulator polled into delivery, a local
 * SES server and an SMS outbox file.
 *
 *   const api = await startApi({ messaging: true });
 *   ... create a booking through the API ...
 *   await api.settle();
 *   expect(await api.sentEmails()).toHaveLength(1);
 *
 * Timed messages: schedules go to a table of this process's own, fired by a schedule runner within a
 * second of their time; with `messaging: { clock }` the whole system reads that clock instead, and
 * schedules due by it fire when the test calls `fireDueSchedules()`.
 *
 *   let now = new Date('2026-03-01T09:00:00Z');
 *   const api = await startApi({ messaging: { clock: () => now } });
 *   ... arm a reminder through the API ..., then: now = new Date('2026-03-02T09:00:00Z');
 *   await api.fireDueSchedules();   // fired, delivered, settled
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent, SQSEvent } from 'aws-lambda';
import { startSqsEventSource, type SqsEventSourceLogEntry, type SqsHandler } from '#local/sqs-event-source.ts';
import { createLocalSqsClient, deadLetters, ensureDeliveryQueues, startSqsLocal, type DeadLetter, type SqsLocal } from '#local/sqs-local.ts';
import { sqsDeliveryQueue } from '#adapters/sqs/delivery-queue.ts';
import { PurgeQueueCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { startLocalServer, type LocalArea, type RequestLogEntry } from '#local/http-server.ts';
import { applyLocalDocumentsEnv, applyLocalEnv, applyLocalPublicUrl } from '#local/local-env.ts';
import type { LocalDocumentsOptions } from '#local/local-documents.ts';
import { startSesLocal, type SentEmail, type SesLocal } from '#local/ses-local.ts';
import { startMailboxSimulator } from '#local/ses-mailbox-simulator.ts';
import { smsStop } from '#local/adapters/sms-outbox.ts';
import { parseOutboxLines, type OutboxSms } from '#local/sms-outbox-tail.ts';
import { startStreamPoller, type StreamHandler, type StreamPollerLogEntry } from '#local/stream-poller.ts';
import { createLocalTokenVerifier, generateSecret, signLocalToken, type LocalTokenOptions } from '#local/token-key.ts';
import { createLocalDynamoDbClient, ensureSchedulesTable } from '#local/dynamodb-local.ts';
import { startScheduleRunner, type ScheduleRunnerLogEntry } from '#local/schedule-runner.ts';
import { useClock } from '#adapters/clock.ts';
import { createDocumentClient } from '#adapters/dynamodb/record-store.ts';
import { localScheduler, type LocalScheduler } from '#local/adapters/dynamodb-scheduler.ts';
import type { ScheduledDelivery } from '#domain/messages/ports.ts';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface LocalStackEnv {
  readonly dynamodbEndpoint: string;
  readonly tableName: string;
  /** This process's own schedules table: a schedule armed by one test file never fires in another. */
  readonly schedulesTable: string;
}

/** The values global-setup.ts provided, also applied to process.env (region, dummy credentials, endpoint, tables). */
export function useLocalStackEnv(): LocalStackEnv {
  const dynamodbEndpoint = inject('dynamodbEndpoint');
  const tableName = inject('tableName');
  if (!dynamodbEndpoint || !tableName) {
    throw new Error('DynamoDB Local is not running: add test/integration/global-setup.ts to the globalSetup of this vitest project');
  }
  const schedulesTable = `${tableName}-schedules-${process.pid}`;
  applyLocalEnv({ dynamodbEndpoint, tableName, schedulesTable, unsubscribeKeyFile: processUnsubscribeKeyFile() });
  return { dynamodbEndpoint, tableName, schedulesTable };
}

let unsubscribeKeyFile: string | undefined;
/** This process's unsubscribe key file, in a folder of its own: tests never touch `.local/`. */
function processUnsubscribeKeyFile(): string {
  if (unsubscribeKeyFile === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'unsubscribe-key-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    unsubscribeKeyFile = join(dir, 'unsubscribe-key');
  }
  return unsubscribeKeyFile;
}

/** A client for the shared DynamoDB Local (destroy it when done). */
export function localDynamoDbClient(): DynamoDBClient {
  return createLocalDynamoDbClient(useLocalStackEnv().dynamodbEndpoint);
}

export interface StartApiOptions {
  /** Defaults to the real catalog (`#api/catalog.ts`), imported after the environment is set. */
  readonly areas?: readonly LocalArea[];
  /** Collects the server's request log lines; silent by default. */
  readonly log?: (entry: RequestLogEntry) => void;
  readonly maxBodyBytes?: number;
  readonly handlerTimeoutMs?: number;
  /** Also run the message path (see {@link MessagingOptions}). */
  readonly messaging?: boolean | MessagingOptions;
}

export interface MessagingOptions {
  /** Defaults to the real evaluator (`#lambdas/rule-evaluator.ts`). */
  readonly evaluator?: StreamHandler;
  /** Defaults to the real delivery handler (`#lambdas/message-delivery.ts`). */
  readonly delivery?: SqsHandler;
  /** Defaults to the real import worker (`#lambdas/client-import.ts`), fed by an import queue of its own. */
  readonly importWorker?: SqsHandler;
  /**
   * Whose records reach the evaluator. The table is shared with every test file running at the same
   * time, so by default only records of tenants this API signed a token for (`tokenFor`,
   * `authHeaders`, `apiClient`) do; `'all'` passes every record the stream filter lets through.
   */
  readonly tenants?: 'own' | 'all';
  /** Collects the poller's and the runners' log lines; silent by default. */
  readonly log?: (entry: StreamPollerLogEntry | SqsEventSourceLogEntry | ScheduleRunnerLogEntry) => void;
  /** Shorter retry delays keep failure tests fast; default as in `npm start`. */
  readonly retryDelayMs?: (attempt: number) => number;
  /** Seconds a failed delivery stays invisible before it is received again; default 1 (npm start: the visibility timeout). */
  readonly redeliveryDelaySeconds?: (receiveCount: number) => number;
  /**
   * The time the whole process reads (`useClock`) while this API runs; the real time by default.
   * With it, schedules fire only through `fireDueSchedules()`, so a test decides when.
   */
  readonly clock?: () => Date;
  /**
   * Answer each email with the SES events the mailbox simulator's addresses call for, as `npm
   * start` does (local/ses-mailbox-simulator.ts); `settle()` waits for them. Off by default, so
   * other tests see delivery's own `sent`.
   */
  readonly mailboxSimulator?: boolean;
}

export interface LocalApi {
  /** e.g. `http://127.0.0.1:53124`, no trailing slash. */
  readonly baseUrl: string;
  readonly env: LocalStackEnv;
  /** A valid token for the tenant, signed with this API's own key (tests never touch .local/). */
  tokenFor(tenantId: string, options?: LocalTokenOptions): Promise<string>;
  /** `{ authorization: 'Bearer …' }` for the tenant. */
  authHeaders(tenantId: string): Promise<Record<string, string>>;
  /** The key the server trusts, to craft special tokens (expired, wrong issuer…). */
  readonly secret: Uint8Array;
  /** Where local document storage keeps uploaded files (one folder per test process). */
  readonly documentsDir: string;
  close(): Promise<void>;
}

export interface MessagingApi extends LocalApi {
  /** The local SES endpoint (AWS_ENDPOINT_URL_SESV2), the same for every messaging API in this test file. */
  readonly sesEndpoint: string;
  /** Mail the local SES server received since this API started, oldest first (from `GET /store`). */
  /** The local STOP (local/adapters/sms-outbox.ts): the number is on the opt-out list from now on. */
  smsStop(phone: string): Promise<void>;
  sentEmails(): Promise<SentEmail[]>;
  /** SMS written to the outbox since this API started, oldest first. */
  sentSms(): Promise<OutboxSms[]>;
  /**
   * Waits until everything written to the table so far has gone through the evaluator and every
   * message it enqueued has been delivered, retried or dead-lettered (repeats until a round is quiet).
   */
  settle(): Promise<void>;
  /** Every event the evaluator was invoked with (copies), oldest first, replays included. */
  streamEvents(): DynamoDBStreamEvent[];
  /** Every event the delivery handler was invoked with (copies), oldest first. */
  deliveryEvents(): SQSEvent[];
  /**
   * Invokes the evaluator once more with the last batch it got (as a retried or duplicated stream
   * batch would be), then settles. Resolves with the evaluator's response.
   */
  replayLastBatch(): Promise<DynamoDBBatchResponse | void>;
  /** Lines of the local on-failure destination (stream batches given up on after 5 attempts). */
  streamFailures(): Promise<Array<{ attempts: number; reason: string; record: DynamoDBRecord }>>;
  /** What this API's dead-letter queue holds (deliveries that failed 5 receives), left in place. */
  deadLetters(): Promise<DeadLetter[]>;
  /**
   * Fires every schedule due by the clock now (one pass of the schedule runner, which on the real
   * clock also fires on its own every 250 ms), then settles. Resolves with how many it fired.
   */
  fireDueSchedules(): Promise<number>;
  /** Runs `moveClock` (a test's injected clock), fires what is then due, and resolves with the emails to `to` that went out meanwhile. */
  emailsWhenClockMoves(moveClock: () => void, to: string): Promise<SentEmail[]>;
  /** The schedules armed now, oldest first. */
  schedules(): Promise<ScheduledDelivery[]>;
}

// ---------------------------------------------------------------------------------------------
// Per-process messaging resources. The handlers build their SES client and SMS outbox once per
// process, from the environment at their first call, so the SES endpoint and the outbox file must
// not change within a test file: one SES server (left running, unref'd, until the worker exits, so
// no client ever holds a connection to a closed one) and one outbox file per process. The
// in-process delivery queue fans out to every subscriber, so only one messaging API may run at a
// time in a process (the handlers read one queue URL from the environment).

let sharedDir: string | undefined;
let sharedDocuments: LocalDocumentsOptions | undefined;
let sharedSes: Promise<SesLocal> | undefined;
let sharedSqs: Promise<SqsLocal> | undefined;
let schedulesTableReady: Promise<unknown> | undefined;
let messagingActive = false;

/** Creates this process's schedules table once, before any handler can arm a schedule in it. */
function processSchedulesTable(env: LocalStackEnv): Promise<unknown> {
  schedulesTableReady ??= (async () => {
    const client = createLocalDynamoDbClient(env.dynamodbEndpoint);
    try {
      return await ensureSchedulesTable(client, env.schedulesTable);
    } finally {
      client.destroy();
    }
  })();
  schedulesTableReady.catch(() => {
    schedulesTableReady = undefined;
  });
  return schedulesTableReady;
}

/**
 * This process's document folder and URL signing secret, the same for every API it starts: the
 * handlers read them from the environment, and a URL signed for one API stays valid on the next.
 */
function processDocuments(): LocalDocumentsOptions {
  if (sharedDocuments === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'documents-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    sharedDocuments = { dir, secret: randomBytes(32).toString('base64url') };
  }
  return sharedDocuments;
}

function processSes(): Promise<SesLocal> {
  sharedSes ??= startSesLocal({ port: 0 }).then((ses) => {
    ses.server.unref();
    return ses;
  });
  sharedSes.catch(() => {
    sharedSes = undefined;
  });
  return sharedSes;
}

/** One SQS emulator per process, in memory: each messaging API makes queues of its own on it. */
function processSqs(): Promise<SqsLocal> {
  sharedSqs ??= startSqsLocal({ port: 0 });
  sharedSqs.catch(() => {
    sharedSqs = undefined;
  });
  return sharedSqs;
}

async function readJsonLines<T>(file: string): Promise<T[]> {
  try {
    return (await readFile(file, 'utf8'))
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as T);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

async function fileSize(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

const tenantOf = (record: DynamoDBRecord): string | undefined => {
  const pk = record.dynamodb?.Keys?.['pk']?.S;
  return pk?.startsWith('T#') ? pk.slice(2) : undefined;
};

export function startApi(options: StartApiOptions & { readonly messaging: true | MessagingOptions }): Promise<MessagingApi>;
export function startApi(options?: StartApiOptions): Promise<LocalApi>;
export async function startApi(options: StartApiOptions = {}): Promise<LocalApi | MessagingApi> {
  const env = useLocalStackEnv();
  const messaging = options.messaging === true ? {} : options.messaging || undefined;
  if (messaging && messagingActive) {
    throw new Error('Another startApi({ messaging }) is still running in this test file: close it first (the in-process delivery queue would feed both).');
  }
  if (messaging) messagingActive = true;
  let sesServer: SesLocal | undefined;
  let queue: MessagingQueue | undefined;
  try {
    if (messaging) {
      await processSchedulesTable(env);
      sesServer = await processSes();
      queue = await messagingQueue();
      if (sharedDir === undefined) {
        const dir = mkdtempSync(join(tmpdir(), 'messaging-'));
        sharedDir = dir;
        process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
      }
      applyLocalEnv({
        ...env,
        sesEndpoint: sesServer.endpoint,
        smsOutboxFile: join(sharedDir, 'sms-outbox.jsonl'),
        sqs: { endpoint: queue.server.endpoint, deliveryQueueUrl: queue.queueUrl, importQueueUrl: queue.imports.queueUrl },
      });
    }
    const api = await startHttp(options, env);
    if (!messaging || !sesServer || !queue) return api;
    return await startMessaging(api, messaging, sesServer, queue, sharedDir!).catch(async (error: unknown) => {
      await api.close();
      throw error;
    });
  } catch (error) {
    if (messaging) messagingActive = false;
    throw error;
  }
}

/**
 * The process's delivery queue and dead-letter queue on its SQS emulator: the handlers read the
 * queue URL once per process. Each messaging API starts with both empty.
 */
interface MessagingQueue {
  readonly server: SqsLocal;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly deadLetterUrl: string;
  readonly deadLetterName: string;
  /** The import worker's queue and its dead-letter queue. */
  readonly imports: { readonly queueUrl: string; readonly queueArn: string; readonly deadLetterUrl: string };
}

let sharedQueue: Promise<Omit<MessagingQueue, 'server'>> | undefined;

async function messagingQueue(): Promise<MessagingQueue> {
  const server = await processSqs();
  const sqs = createLocalSqsClient(server.endpoint);
  try {
    const name = `delivery-${process.pid}`;
    const deadLetterName = `${name}-dead-letters`;
    // As in npm start: visible again after the function's timeout, five receives.
    sharedQueue ??= Promise.all([
      ensureDeliveryQueues(sqs, { name, deadLetterName, visibilityTimeoutSeconds: 35, maxReceives: 5 }),
      ensureDeliveryQueues(sqs, { name: `imports-${process.pid}`, deadLetterName: `imports-${process.pid}-dead-letters`, visibilityTimeoutSeconds: 125, maxReceives: 5 }),
    ]).then(([queues, imports]) => ({ ...queues, deadLetterName, imports }));
    const queue = { server, ...(await sharedQueue) };
    await emptyQueues(sqs, queue);
    await emptyQueues(sqs, queue.imports);
    return queue;
  } catch (error) {
    sharedQueue = undefined;
    throw error;
  } finally {
    sqs.destroy();
  }
}

/** What an earlier API of this process left in its queues must not reach this one. */
async function emptyQueues(sqs: SQSClient, queue: Pick<MessagingQueue, 'queueUrl' | 'deadLetterUrl'>): Promise<void> {
  await Promise.all([queue.queueUrl, queue.deadLetterUrl].map((QueueUrl) => sqs.send(new PurgeQueueCommand({ QueueUrl }))));
}

interface LocalApiWithOwners extends LocalApi {
  /** Tenants this API signed tokens for. */
  readonly tenants: ReadonlySet<string>;
}

async function startHttp(options: StartApiOptions, env: LocalStackEnv): Promise<LocalApiWithOwners> {
  const areas =
    options.areas ?? (await import('#api/catalog.ts')).apiAreas;
  const secret = generateSecret();
  const documents = processDocuments();
  const server = await startLocalServer({
    areas,
    verifyToken: createLocalTokenVerifier(secret),
    log: options.log ?? false,
    documents,
    ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}),
    ...(options.handlerTimeoutMs !== undefined ? { handlerTimeoutMs: options.handlerTimeoutMs } : {}),
    port: 0,
  });
  applyLocalDocumentsEnv({ ...documents, baseUrl: server.url });
  applyLocalPublicUrl(server.url);
  const tenants = new Set<string>();
  const tokenFor = (tenantId: string, tokenOptions?: LocalTokenOptions): Promise<string> => {
    tenants.add(tenantId);
    return signLocalToken(secret, tenantId, tokenOptions);
  };
  return {
    baseUrl: server.url,
    env,
    documentsDir: documents.dir,
    secret,
    tenants,
    tokenFor,
    authHeaders: async (tenantId) => ({ authorization: `Bearer ${await tokenFor(tenantId)}` }),
    close: () => server.close(),
  };
}

async function startMessaging(api: LocalApiWithOwners, options: MessagingOptions, sesServer: SesLocal, queue: MessagingQueue, dir: string): Promise<MessagingApi> {
  const smsOutboxFile = join(dir, 'sms-outbox.jsonl');
  const ownDir = mkdtempSync(join(dir, 'api-'));
  const failureFile = join(ownDir, 'stream-failures.jsonl');
  const evaluator = options.evaluator ?? (await import('#lambdas/rule-evaluator.ts')).handler;
  const delivery = options.delivery ?? (await import('#lambdas/message-delivery.ts')).handler;
  const { handleEmailEvent } = await import('#lambdas/email-events.ts');
  const { emailEventsDeps } = await import('#wiring');
  const importWorker = options.importWorker ?? (await import('#lambdas/client-import.ts')).handler;

  let invocations = 0;
  const log = (entry: StreamPollerLogEntry | SqsEventSourceLogEntry | ScheduleRunnerLogEntry): void => {
    // A fired schedule counts as activity: its delivery may not have been invoked yet.
    if (entry.event === 'invoke' || entry.event === 'fire') invocations++;
    options.log?.(entry);
  };
  const streamEvents: DynamoDBStreamEvent[] = [];
  const deliveryEvents: SQSEvent[] = [];
  const emailBaseline = (await sesServer.sentEmails()).length;
  const smsBaseline = await fileSize(smsOutboxFile);

  const schedulesClient = createLocalDynamoDbClient(api.env.dynamodbEndpoint);
  const scheduler = localScheduler(createDocumentClient(schedulesClient), api.env.schedulesTable);
  const sqs = createLocalSqsClient(queue.server.endpoint);
  const restoreClock = options.clock ? useClock(options.clock) : () => undefined;
  const release = (): void => {
    schedulesClient.destroy();
    sqs.destroy();
    restoreClock();
  };
  // What an earlier API of this process left armed must not fire here.
  try {
    await emptySchedules(scheduler);
  } catch (error) {
    release();
    throw error;
  }

  const runner = startSqsEventSource({
    handler: (event, context) => {
      deliveryEvents.push(structuredClone(event));
      return delivery(event, context);
    },
    sqs,
    queueUrl: queue.queueUrl,
    queueArn: queue.queueArn,
    log,
    redeliveryDelaySeconds: options.redeliveryDelaySeconds ?? (() => 1),
  });
  const importRunner = startSqsEventSource({
    handler: importWorker,
    sqs,
    queueUrl: queue.imports.queueUrl,
    queueArn: queue.imports.queueArn,
    functionName: 'client-import',
    batchSize: 1,
    maxConcurrency: 2,
    timeoutMs: 120_000,
    log,
    redeliveryDelaySeconds: options.redeliveryDelaySeconds ?? (() => 1),
  });
  const scheduleRunner = startScheduleRunner({ scheduler, queue: sqsDeliveryQueue(sqs, queue.queueUrl), log, ...(options.clock ? { intervalMs: false } : {}) });
  let poller: Awaited<ReturnType<typeof startStreamPoller>>;
  try {
    poller = await startStreamPoller({
      endpoint: api.env.dynamodbEndpoint,
      tableName: api.env.tableName,
      handler: (event, context) => {
        streamEvents.push(structuredClone(event));
        return evaluator(event, context);
      },
      startingPosition: 'LATEST',
      bisectBatchOnError: true,
      failureFile,
      log,
      ...(options.tenants === 'all' ? {} : { scope: (record: DynamoDBRecord) => api.tenants.has(tenantOf(record) ?? '') }),
      ...(options.retryDelayMs ? { retryDelayMs: options.retryDelayMs } : {}),
    });
  } catch (error) {
    await scheduleRunner.stop();
    await runner.stop();
    await importRunner.stop();
    release();
    throw error;
  }
  const started = poller;
  const simulator = options.mailboxSimulator
    ? startMailboxSimulator({
        sentEmails: () => sesServer.sentEmails(),
        skip: emailBaseline,
        intervalMs: false,
        handle: async (event) => {
          invocations++;
          await handleEmailEvent(event, emailEventsDeps());
        },
      })
    : undefined;

  const settle = async (): Promise<void> => {
    for (let round = 0; round < 50; round++) {
      const before = invocations;
      await started.idle();
      await scheduleRunner.idle();
      await importRunner.idle();
      await runner.idle();
      await simulator?.pass();
      if (invocations === before) return;
    }
    throw new Error('settle(): the message path was still busy after 50 rounds (a loop between evaluator and delivery?)');
  };

  const fireDueSchedules = async (): Promise<number> => {
    const fired = await scheduleRunner.fireDue();
    await settle();
    return fired;
  };
  let closing: Promise<void> | undefined;
  return {
    ...api,
    sesEndpoint: sesServer.endpoint,
    sentEmails: async () => (await sesServer.sentEmails()).slice(emailBaseline),
    smsStop: (phone) => smsStop(smsOutboxFile, phone),
    sentSms: async () => {
      try {
        return parseOutboxLines((await readFile(smsOutboxFile)).subarray(smsBaseline).toString('utf8'));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
    },
    settle,
    streamEvents: () => structuredClone(streamEvents),
    deliveryEvents: () => structuredClone(deliveryEvents),
    replayLastBatch: async () => {
      const event = started.lastEvent();
      if (!event) throw new Error('replayLastBatch(): the evaluator has not been invoked yet');
      const response = await started.replay(event);
      await settle();
      return response;
    },
    streamFailures: () => readJsonLines(failureFile),
    deadLetters: async () => deadLetters(queue.server.server, queue.deadLetterName),
    fireDueSchedules,
    emailsWhenClockMoves: async (moveClock, to) => {
      const before = (await sesServer.sentEmails()).length;
      moveClock();
      await fireDueSchedules();
      return (await sesServer.sentEmails()).slice(before).filter((email) => email.destination.to.includes(to));
    },
    schedules: () => scheduler.list(),
    close: () => {
      closing ??= (async () => {
        try {
          await started.stop();
          await simulator?.stop();
          await scheduleRunner.stop();
          await runner.stop();
          await importRunner.stop();
          await emptySchedules(scheduler);
          await emptyQueues(sqs, queue);
          await emptyQueues(sqs, queue.imports);
          await api.close();
        } finally {
          release();
          messagingActive = false;
          rmSync(ownDir, { recursive: true, force: true });
        }
      })();
      return closing;
    },
  };
}

async function emptySchedules(scheduler: LocalScheduler): Promise<void> {
  await scheduler.disarm((await scheduler.list()).map((schedule) => schedule.name));
}
