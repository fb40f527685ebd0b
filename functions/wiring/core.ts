import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { clock } from '#adapters/clock.ts';
import { traced } from '#tracer';
import { createDocumentClient, dynamoRecordStore } from '#adapters/dynamodb/record-store.ts';
import { dynamoMessageLog } from '#adapters/dynamodb/message-log.ts';
import { dynamoSmsUsage } from '#adapters/dynamodb/sms-usage.ts';
import type { SesEmailSenderOptions } from '#adapters/ses/email-sender.ts';
import type { DeliveryQueue, MessageLog, MessageScheduler, SmsSender } from '#domain/messages/ports.ts';
import type { RecordStore } from '#domain/record-store.ts';
import type { SmsUsage } from '#domain/plans.ts';
import type { DocumentStorage } from '#domain/document-storage.ts';
import type { UnsubscribeKey } from '#domain/unsubscribe-token.ts';
import type { SenderIdentities } from '#domain/sender.ts';

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
  /** In place of the API's tenant-scoped table client (DynamoDB Local ignores IAM); built once, on the shared client. */
  readonly tenantDocuments?: (documents: DynamoDBDocumentClient) => DynamoDBDocumentClient;
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

// The message path's, one of each per container (locally, per process); the API's are on the
// tenant-scoped client (wiring/api.ts).
export const recordStore = /* @__PURE__ */ once((): RecordStore => dynamoRecordStore(documents(), required('TABLE_NAME')));
export const messageLog = /* @__PURE__ */ once((): MessageLog => dynamoMessageLog(documents(), required('TABLE_NAME')));
export const smsUsage = /* @__PURE__ */ once((): SmsUsage => dynamoSmsUsage(documents(), required('TABLE_NAME')));

/** The maxReceiveCount of the queue the function reads (MAX_RECEIVE_COUNT), after which SQS moves a message to its dead-letter queue. */
export const maxReceiveCount = (): number => Number(process.env.MAX_RECEIVE_COUNT ?? 5);
