import { ulid } from 'ulid';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { clock } from '#adapters/clock.ts';
import { traced } from '#tracer';
import { createDocumentClient, dynamoRecordStore } from '#adapters/dynamodb/record-store.ts';
import { dynamoMessageLog } from '#adapters/dynamodb/message-log.ts';
import { dynamoRateLimiter } from '#adapters/dynamodb/rate-limiter.ts';
import { dynamoSmsUsage } from '#adapters/dynamodb/sms-usage.ts';
import type { SesEmailSenderOptions } from '#adapters/ses/email-sender.ts';
import type { DeliveryQueue, MessageLog, MessageScheduler, SmsSender } from '#domain/messages/ports.ts';
import type { RecordStore } from '#domain/record-store.ts';
import type { SmsUsage } from '#domain/plans.ts';
import type { DocumentStorage } from '#domain/document-storage.ts';
import type { UnsubscribeKey } from '#domain/unsubscribe-token.ts';
import type { SenderIdentities } from '#domain/sender.ts';
import type { AppDeps } from '#http/deps.ts';

/**
 * The composition root's shared part: the records table's DynamoDB client and what is built on it
 * alone. Each AWS service has its own module beside this one (sqs.ts, s3.ts, …), and each Lambda
 * entry imports only the modules of the services it calls, so its bundle holds only their SDK
 * clients. No module here knows a local stand-in: local mode installs its own with `overrideDeps`
 * (local/local-wiring.ts), so no environment variable can turn a deployed function's SMS into a file.
 */

/** What local mode puts in place of an AWS service; one left out is the AWS adapter. */
export interface DepsOverrides {
  /** In place of EventBridge Scheduler; built once, on the shared DynamoDB client. */
  readonly scheduler?: (documents: DynamoDBDocumentClient) => MessageScheduler;
  /** In place of S3; asked on each use, as its URLs name a local server that a test process starts anew on new ports. */
  readonly documentStorage?: () => DocumentStorage;
  /** In place of SNS; built once. */
  readonly sms?: () => SmsSender;
  /** For an SES whose own store is the evidence of what it took (the SES emulator), instead of SES's events; built once. */
  readonly emailEvidence?: () => Required<Pick<SesEmailSenderOptions, 'messageIdHeader' | 'evidence'>>;
  /** In place of SES's identity and tenant calls (the SES emulator only sends); built once. */
  readonly senderIdentities?: () => SenderIdentities;
  /** In place of Secrets Manager: the unsubscribe links' key; built once. */
  readonly unsubscribeKey?: () => UnsubscribeKey;
}

let current: DepsOverrides = {};

/** Replaces the stand-ins; each is read when its dependency is first built (documents: on each use), so call it before handlers run. */
export function overrideDeps(next: DepsOverrides): void {
  current = next;
}

/** The stand-ins installed now (none in a Lambda). */
export const overrides = (): DepsOverrides => current;

export function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

/** Builds on first call, then answers the same value: a dependency is made once per container. */
export function once<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}

export const documents = /* @__PURE__ */ once((): DynamoDBDocumentClient => createDocumentClient(traced(new DynamoDBClient({}))));
export const now = clock.now;

// One of each per container (locally, per process), whichever functions' dependencies hold them.
export const recordStore = /* @__PURE__ */ once((): RecordStore => dynamoRecordStore(documents(), required('TABLE_NAME')));
export const messageLog = /* @__PURE__ */ once((): MessageLog => dynamoMessageLog(documents(), required('TABLE_NAME')));
export const smsUsage = /* @__PURE__ */ once((): SmsUsage => dynamoSmsUsage(documents(), required('TABLE_NAME')));

/** The maxReceiveCount of the queue the function reads (MAX_RECEIVE_COUNT), after which SQS moves a message to its dead-letter queue. */
export const maxReceiveCount = (): number => Number(process.env.MAX_RECEIVE_COUNT ?? 5);

/** What an API area adds to the table's dependencies: only the services its module wires. */
export type AreaServices = Partial<Pick<AppDeps, 'queue' | 'documents' | 'importQueue' | 'unsubscribeKey'>>;

/**
 * A service an area did not wire: calling it is a fault of that area's module (its `uses` and its
 * wiring disagree), answered as a plain 500 and logged with this message.
 */
function notWired<T>(service: string): T {
  const refuse = (): never => {
    throw new Error(`${service} is not wired into this function: its area module must list it in \`uses\` and pass it to apiDeps`);
  };
  // A function target, so that both a port object (documents.read) and a port function (unsubscribeKey) refuse.
  return new Proxy(refuse, { get: () => refuse }) as T;
}

/** The API dependencies: the table's, built here, plus the services the area passes (built on first use). */
export function apiDeps(services: { readonly [K in keyof AreaServices]: () => NonNullable<AreaServices[K]> } = {}): () => AppDeps {
  return once(
    (): AppDeps => ({
      store: recordStore(),
      messages: messageLog(),
      queue: services.queue?.() ?? notWired('the delivery queue'),
      documents: services.documents?.() ?? notWired('document storage'),
      importQueue: services.importQueue?.() ?? notWired('the import queue'),
      unsubscribeKey: services.unsubscribeKey?.() ?? notWired('the unsubscribe key'),
      rateLimiter: dynamoRateLimiter(documents(), required('TABLE_NAME')),
      smsUsage: smsUsage(),
      now,
      newId: ulid,
      ...(process.env.EDGE_ORIGIN_SECRET ? { edgeSecret: process.env.EDGE_ORIGIN_SECRET } : {}),
    }),
  );
}
