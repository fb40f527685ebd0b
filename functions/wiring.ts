import { ulid } from 'ulid';
import { clock } from '#adapters/clock.ts';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { traced } from '#tracer';
import { createDocumentClient, dynamoRecordStore } from '#adapters/dynamodb/record-store.ts';
import { dynamoMessageLog } from '#adapters/dynamodb/message-log.ts';
import { dynamoMessageOutcomes } from '#adapters/dynamodb/message-outcomes.ts';
import { loadTenantRules } from '#adapters/dynamodb/tenant-rules.ts';
import { sesEmailSender, type SesEmailSenderOptions } from '#adapters/ses/email-sender.ts';
import { snsSmsSender } from '#adapters/sns/sms-sender.ts';
import { sqsDeliveryQueue } from '#adapters/sqs/delivery-queue.ts';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { eventBridgeScheduler, eventBridgeSchedulerConfigFromEnv } from '#adapters/scheduler/eventbridge-scheduler.ts';
import type { DeliveryQueue, MessageScheduler, SmsSender } from '#domain/messages/ports.ts';
import type { DocumentStorage } from '#domain/document-storage.ts';
import { S3Client } from '@aws-sdk/client-s3';
import { s3DocumentStorage } from '#adapters/s3/document-storage.ts';
import { dynamoRateLimiter } from '#adapters/dynamodb/rate-limiter.ts';
import type { AppDeps } from '#http/deps.ts';
import type { DeliveryDeps } from '#domain/messages/deliver.ts';
import type { EvaluatorDeps } from '#services/evaluate-stream.ts';
import type { EmailEventsDeps } from '#domain/messages/provider-events.ts';

/**
 * The composition root: the AWS dependencies, built once per Lambda container (locally, once per
 * process). It knows no local stand-in: local mode installs its own with `overrideDeps`
 * (local/local-wiring.ts), so a Lambda bundle holds only what runs in AWS, and no environment
 * variable can turn a deployed function's SMS into a file.
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
}

let overrides: DepsOverrides = {};

/** Replaces the stand-ins; each is read when its dependency is first built (documents: on each use), so call it before handlers run. */
export function overrideDeps(next: DepsOverrides): void {
  overrides = next;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

function once<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}

const documents = once((): DynamoDBDocumentClient => createDocumentClient(traced(new DynamoDBClient({}))));
const now = clock.now;

/**
 * SQS in AWS; in local mode the SQS emulator (AWS_ENDPOINT_URL_SQS). The client's endpoint decides
 * where requests go, not the queue URL's host (the emulator's URLs name a host that need not resolve).
 */
const deliveryQueue = once((): DeliveryQueue => sqsDeliveryQueue(traced(new SQSClient({ useQueueUrlAsEndpoint: false })), required('DELIVERY_QUEUE_URL')));

// WHEN_REQUIRED: a presigned PUT without the SDK's default CRC32 parameters, which would bind the URL to an empty body's checksum.
const s3Documents = once((): DocumentStorage => s3DocumentStorage(traced(new S3Client({ requestChecksumCalculation: 'WHEN_REQUIRED' })), required('DOCUMENTS_BUCKET')));

const documentStorage = (): DocumentStorage => overrides.documentStorage?.() ?? s3Documents();

export const appDeps = once(
  (): AppDeps => ({
    store: dynamoRecordStore(documents(), required('TABLE_NAME')),
    messages: dynamoMessageLog(documents(), required('TABLE_NAME')),
    // Built on first use: only the areas that send or store documents are configured for it.
    queue: { enqueue: (bodies) => deliveryQueue().enqueue(bodies) },
    documents: {
      uploadUrl: (...args) => documentStorage().uploadUrl(...args),
      describe: (key) => documentStorage().describe(key),
      copy: (fromKey, toKey) => documentStorage().copy(fromKey, toKey),
      downloadUrl: (...args) => documentStorage().downloadUrl(...args),
    },
    rateLimiter: dynamoRateLimiter(documents(), required('TABLE_NAME')),
    now,
    newId: ulid,
  }),
);

export const evaluatorDeps = once(
  (): EvaluatorDeps => ({
    loadRules: (tenantId) => loadTenantRules(documents(), required('TABLE_NAME'), tenantId),
    store: appDeps().store,
    scheduler: messageScheduler(),
    queue: deliveryQueue(),
    now,
  }),
);

export const deliveryDeps = once(
  (): DeliveryDeps => ({
    store: appDeps().store,
    messages: appDeps().messages,
    email: sesEmailSender(traced(new SESv2Client({})), {
      from: required('SENDER_EMAIL'),
      configurationSet: process.env.SES_CONFIGURATION_SET,
      ...overrides.emailEvidence?.(),
    }),
    sms: overrides.sms?.() ?? snsSmsSender(traced(new SNSClient({})), process.env.SMS_SENDER_ID),
    now,
  }),
);

export const emailEventsDeps = once(
  (): EmailEventsDeps => ({
    outcomes: dynamoMessageOutcomes(documents(), required('TABLE_NAME')),
    now,
  }),
);

/** Matches the delivery queue's maxReceiveCount, after which SQS moves an intent to the dead-letter queue. */
export const maxDeliveryReceives = (): number => Number(process.env.MAX_RECEIVE_COUNT ?? 5);

export const messageScheduler = once(
  (): MessageScheduler => overrides.scheduler?.(documents()) ?? eventBridgeScheduler(traced(new SchedulerClient({})), eventBridgeSchedulerConfigFromEnv()),
);
