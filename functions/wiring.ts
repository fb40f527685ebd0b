import { ulid } from 'ulid';
import { clock } from '#adapters/clock.ts';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { traced } from '#tracer';
import { createDocumentClient, dynamoRecordStore } from '#adapters/dynamodb/record-store.ts';
import { awsTenantScopedDocuments } from '#adapters/dynamodb/tenant-scoped-documents.ts';
import { dynamoMessageLog } from '#adapters/dynamodb/message-log.ts';
import { dynamoClientSuppressions, dynamoMessageOutcomes } from '#adapters/dynamodb/message-outcomes.ts';
import { loadTenantRules } from '#adapters/dynamodb/tenant-rules.ts';
import { sesEmailSender, type SesEmailSenderOptions } from '#adapters/ses/email-sender.ts';
import { snsSmsSender } from '#adapters/sns/sms-sender.ts';
import { sqsDeliveryQueue } from '#adapters/sqs/delivery-queue.ts';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { eventBridgeScheduler, eventBridgeSchedulerConfigFromEnv } from '#adapters/scheduler/eventbridge-scheduler.ts';
import type { DeliveryQueue, MessageScheduler, SmsSender } from '#domain/messages/ports.ts';
import type { DocumentStorage } from '#domain/document-storage.ts';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { secretsManagerUnsubscribeKey } from '#adapters/secrets/unsubscribe-key.ts';
import { signUnsubscribeToken, unsubscribeUrl, type UnsubscribeKey } from '#domain/unsubscribe-token.ts';
import { s3DocumentStorage } from '#adapters/s3/document-storage.ts';
import { dynamoRateLimiter } from '#adapters/dynamodb/rate-limiter.ts';
import { dynamoSmsUsage } from '#adapters/dynamodb/sms-usage.ts';
import type { AppDeps } from '#http/deps.ts';
import type { DeliveryDeps } from '#domain/messages/deliver.ts';
import type { EvaluatorDeps } from '#services/evaluate-stream.ts';
import type { EmailEventsDeps } from '#domain/messages/provider-events.ts';
import type { SenderIdentities } from '#domain/sender.ts';
import { sesSenderIdentities } from '#adapters/ses/sender-identities.ts';
import type { SenderDeps } from '#services/sender-settings.ts';

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
  /** In place of SES's identity and tenant calls (the SES emulator only sends); built once. */
  readonly senderIdentities?: () => SenderIdentities;
  /** In place of Secrets Manager: the unsubscribe links' key; built once. */
  readonly unsubscribeKey?: () => UnsubscribeKey;
  /** In place of the API's tenant-scoped table client (DynamoDB Local ignores IAM); built once, on the shared client. */
  readonly tenantDocuments?: (documents: DynamoDBDocumentClient) => DynamoDBDocumentClient;
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
/** The API's table client: signed with the request's tenant credentials once it acts for a tenant. */
const apiDocuments = once((): DynamoDBDocumentClient => overrides.tenantDocuments?.(documents()) ?? awsTenantScopedDocuments(documents()));

/**
 * SQS in AWS; in local mode the SQS emulator (AWS_ENDPOINT_URL_SQS). The client's endpoint decides
 * where requests go, not the queue URL's host (the emulator's URLs name a host that need not resolve).
 */
const deliveryQueue = once((): DeliveryQueue => sqsDeliveryQueue(traced(new SQSClient({ useQueueUrlAsEndpoint: false })), required('DELIVERY_QUEUE_URL')));

/** Where imports go on in chunks (IMPORT_QUEUE_URL), the delivery queue's adapter on another queue. */
const importQueue = once((): DeliveryQueue => sqsDeliveryQueue(traced(new SQSClient({ useQueueUrlAsEndpoint: false })), required('IMPORT_QUEUE_URL')));

// WHEN_REQUIRED: a presigned PUT without the SDK's default CRC32 parameters, which would bind the URL to an empty body's checksum.
const s3Documents = once((): DocumentStorage => s3DocumentStorage(traced(new S3Client({ requestChecksumCalculation: 'WHEN_REQUIRED' })), required('DOCUMENTS_BUCKET')));

const documentStorage = (): DocumentStorage => overrides.documentStorage?.() ?? s3Documents();

const unsubscribeKey = once((): UnsubscribeKey => overrides.unsubscribeKey?.() ?? secretsManagerUnsubscribeKey(traced(new SecretsManagerClient({})), required('UNSUBSCRIBE_KEY_SECRET')));

export const appDeps = once(
  (): AppDeps => ({
    store: dynamoRecordStore(apiDocuments(), required('TABLE_NAME')),
    messages: dynamoMessageLog(apiDocuments(), required('TABLE_NAME')),
    // Built on first use: only the areas that send or store documents are configured for it.
    queue: { enqueue: (bodies) => deliveryQueue().enqueue(bodies) },
    documents: {
      uploadUrl: (...args) => documentStorage().uploadUrl(...args),
      describe: (key) => documentStorage().describe(key),
      copy: (fromKey, toKey) => documentStorage().copy(fromKey, toKey),
      downloadUrl: (...args) => documentStorage().downloadUrl(...args),
      read: (key) => documentStorage().read(key),
      write: (...args) => documentStorage().write(...args),
    },
    importQueue: { enqueue: (bodies) => importQueue().enqueue(bodies) },
    rateLimiter: dynamoRateLimiter(apiDocuments(), required('TABLE_NAME')),
    // Built on first use: only the unsubscribe area checks tokens.
    unsubscribeKey: () => unsubscribeKey()(),
    smsUsage: dynamoSmsUsage(apiDocuments(), required('TABLE_NAME')),
    now,
    newId: ulid,
    ...(process.env.EDGE_ORIGIN_SECRET ? { edgeSecret: process.env.EDGE_ORIGIN_SECRET } : {}),
  }),
);

export const evaluatorDeps = once(
  (): EvaluatorDeps => ({
    loadRules: (tenantId) => loadTenantRules(documents(), required('TABLE_NAME'), tenantId),
    store: appDeps().store,
    scheduler: messageScheduler(),
    queue: deliveryQueue(),
    messages: appDeps().messages,
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
    // PUBLIC_BASE_URL is read on each use: local mode knows its server's address only once it listens.
    unsubscribeLink: async (claims) => unsubscribeUrl(required('PUBLIC_BASE_URL'), await signUnsubscribeToken(await unsubscribeKey()(), claims, now())),
    smsUsage: appDeps().smsUsage,
    // Built on first use: only a message that fires outside business hours re-arms.
    scheduler: { arm: (schedules) => messageScheduler().arm(schedules) },
    now,
  }),
);

/** The settings area's SES identity and tenant management; nothing on the send path uses it. */
export const senderDeps = once(
  (): SenderDeps => ({
    identities:
      overrides.senderIdentities?.() ??
      sesSenderIdentities(traced(new SESv2Client({})), { configurationSetArn: required('SES_CONFIGURATION_SET_ARN'), identityArnPrefix: required('SES_IDENTITY_ARN_PREFIX') }),
    tenantPrefix: required('SES_TENANT_PREFIX'),
    platformAddress: required('SENDER_EMAIL'),
  }),
);
/** Matches the import queue's maxReceiveCount, after which SQS moves a chunk's message to the dead-letter queue. */
export const maxImportReceives = (): number => Number(process.env.MAX_RECEIVE_COUNT ?? 5);

export const emailEventsDeps = once(
  (): EmailEventsDeps => ({
    outcomes: dynamoMessageOutcomes(documents(), required('TABLE_NAME')),
    clients: dynamoClientSuppressions(documents(), required('TABLE_NAME')),
    now,
  }),
);

/** Matches the delivery queue's maxReceiveCount, after which SQS moves an intent to the dead-letter queue. */
export const maxDeliveryReceives = (): number => Number(process.env.MAX_RECEIVE_COUNT ?? 5);

export const messageScheduler = once(
  (): MessageScheduler => overrides.scheduler?.(documents()) ?? eventBridgeScheduler(traced(new SchedulerClient({})), eventBridgeSchedulerConfigFromEnv()),
);
