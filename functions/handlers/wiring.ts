import { ulid } from 'ulid';
import { clock } from '#adapters/clock.ts';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, dynamoRecordStore } from '#adapters/dynamodb/record-store.ts';
import { dynamoMessageLog } from '#adapters/dynamodb/message-log.ts';
import { dynamoMessageOutcomes } from '#adapters/dynamodb/message-outcomes.ts';
import { loadTenantRules } from '#adapters/dynamodb/tenant-rules.ts';
import { sesEmailSender } from '#adapters/ses/email-sender.ts';
import { snsSmsSender } from '#adapters/sns/sms-sender.ts';
import { sqsDeliveryQueue } from '#adapters/sqs/delivery-queue.ts';
import { smsOutbox } from '#adapters/local/sms-outbox.ts';
import { localMessageIdHeader, sesStoreEvidence } from '#adapters/local/ses-store-evidence.ts';
import { localScheduler } from '#adapters/local/dynamodb-scheduler.ts';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { eventBridgeScheduler, eventBridgeSchedulerConfigFromEnv } from '#adapters/scheduler/eventbridge-scheduler.ts';
import type { DeliveryQueue, MessageScheduler } from '#domain/messages/ports.ts';
import type { DocumentStorage } from '#domain/document-storage.ts';
import { S3Client } from '@aws-sdk/client-s3';
import { s3DocumentStorage } from '#adapters/s3/document-storage.ts';
import { folderDocumentStorage } from '#adapters/local/folder-storage.ts';
import { dynamoRateLimiter } from '#adapters/dynamodb/rate-limiter.ts';
import type { AppDeps } from '#http/deps.ts';
import type { DeliveryDeps } from '#domain/messages/deliver.ts';
import type { EvaluatorDeps } from '#handlers/evaluate-stream.ts';
import type { EmailEventsDeps } from '#domain/messages/provider-events.ts';

/**
 * The real dependencies, built once per Lambda container (locally, once per process). Local mode
 * differs only by environment: DynamoDB, SQS and SES endpoints, SMS_OUTBOX_FILE, SES_STORE_EVIDENCE.
 */

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

function once<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}

const documents = once((): DynamoDBDocumentClient => createDocumentClient());
const now = clock.now;

/**
 * SQS in AWS; in local mode the SQS emulator (AWS_ENDPOINT_URL_SQS). The client's endpoint decides
 * where requests go, not the queue URL's host (the emulator's URLs name a host that need not resolve).
 */
const deliveryQueue = once((): DeliveryQueue => sqsDeliveryQueue(new SQSClient({ useQueueUrlAsEndpoint: false }), required('DELIVERY_QUEUE_URL')));

const s3Documents = once((): DocumentStorage => s3DocumentStorage(new S3Client({}), required('DOCUMENTS_BUCKET')));

/**
 * S3 in AWS; in local mode a folder that the local server takes uploads into (DOCUMENTS_DIR), built
 * on each use because its URLs name the local server, and a test process starts several on new ports.
 */
const documentStorage = (): DocumentStorage =>
  process.env.DOCUMENTS_DIR
    ? folderDocumentStorage({ dir: process.env.DOCUMENTS_DIR, baseUrl: required('DOCUMENTS_BASE_URL'), secret: required('DOCUMENTS_SIGNING_SECRET') })
    : s3Documents();

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
    // In local mode the SES emulator's store is the evidence, searched by a header naming the message.
    email: sesEmailSender(new SESv2Client({}), {
      from: required('SENDER_EMAIL'),
      configurationSet: process.env.SES_CONFIGURATION_SET,
      ...(process.env.SES_STORE_EVIDENCE ? { messageIdHeader: localMessageIdHeader, evidence: sesStoreEvidence(process.env.SES_STORE_EVIDENCE) } : {}),
    }),
    sms: process.env.SMS_OUTBOX_FILE ? smsOutbox(process.env.SMS_OUTBOX_FILE) : snsSmsSender(new SNSClient({}), process.env.SMS_SENDER_ID),
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

/** Local mode keeps schedules in a DynamoDB Local table that the schedule runner fires from. */
export const messageScheduler = once(
  (): MessageScheduler =>
    process.env.SCHEDULER === 'local'
      ? localScheduler(documents(), required('SCHEDULES_TABLE'))
      : eventBridgeScheduler(new SchedulerClient({}), eventBridgeSchedulerConfigFromEnv()),
);
