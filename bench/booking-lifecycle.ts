/**
 * One booking's life, played through the real code with every AWS call counted: the API routes,
 * the stream evaluator on the table's own stream, delivery of each request, the schedules fired at
 * their time and the SES events of every email. DynamoDB is DynamoDB Local (each call counted by
 * operation); the other services sit behind their ports, so each port call is counted as the AWS
 * call its adapter makes (one CreateSchedule per armed schedule, one SendMessageBatch per ten
 * delivery requests, one SendEmail, one SNS Publish).
 *
 * Used by bench/scale-model.ts (the figures of docs/scale.md) and by its test, which fails when the
 * document no longer says what the code does.
 */
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, DescribeStreamCommand } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { ulid } from 'ulid';
import { createDocumentClient, dynamoRecordStore } from '#adapters/dynamodb/record-store.ts';
import { dynamoMessageLog } from '#adapters/dynamodb/message-log.ts';
import { dynamoClientSuppressions, dynamoMessageOutcomes } from '#adapters/dynamodb/message-outcomes.ts';
import { loadTenantRules } from '#adapters/dynamodb/tenant-rules.ts';
import { dynamoRateLimiter } from '#adapters/dynamodb/rate-limiter.ts';
import { dynamoSmsUsage } from '#adapters/dynamodb/sms-usage.ts';
import { emailTagsFor } from '#adapters/ses/message-tags.ts';
import { apiAreas } from '#api/catalog.ts';
import { httpHandler } from '#http/http-handler.ts';
import type { AppDeps } from '#http/deps.ts';
import { deliverBatch } from '#lambdas/message-delivery.ts';
import { handleEmailEvent } from '#lambdas/email-events.ts';
import type { DeliveryDeps } from '#domain/messages/deliver.ts';
import { signUnsubscribeToken, unsubscribeUrl } from '#domain/unsubscribe-token.ts';
import { evaluateStream } from '#services/evaluate-stream.ts';
import type { DeliveryQueue, EmailSender, MessageScheduler, ScheduledDelivery, SmsSender } from '#domain/messages/ports.ts';
import { compileFilter } from '#local/event-filter.ts';
import { evaluatorFilterPatterns } from '#domain/messages/stream-filter.ts';
import { toLambdaRecord } from '#local/stream-poller.ts';
import { LOCAL_REGION } from '#local/local-env.ts';
import { apiEvent, lambdaContext } from '../test/support/api-event.ts';
import { sesEvent } from '../test/support/ses-events.ts';

/** Calls per service for one booking's life, and the Lambda invocations they take. */
export interface LifecycleCounts {
  /** API requests (each one API Gateway request and one Lambda invocation). */
  readonly apiRequests: number;
  /** DynamoDB calls by operation, e.g. `TransactWriteItems`. */
  readonly dynamodb: Readonly<Record<string, number>>;
  /** DynamoDB write and read request units of the calls above are not counted here: items are small (< 1 KB), so each item written is one WRU. */
  readonly itemsWritten: number;
  readonly schedulerCreate: number;
  readonly schedulerDelete: number;
  readonly sqsSendBatch: number;
  /** Delivery requests put on the queue (each is received and deleted once by Lambda's poller). */
  readonly sqsMessages: number;
  readonly sesSend: number;
  readonly snsPublish: number;
  /** SES events the configuration set publishes (Send and Delivery per email), each an EventBridge event and an email-events invocation. */
  readonly sesEvents: number;
  readonly evaluatorInvocations: number;
  /** Each delivery request in its own invocation: the most Lambda could need (it batches up to 10). */
  readonly deliveryInvocations: number;
}

export interface LifecycleOptions {
  readonly client: DynamoDBClient;
  readonly endpoint: string;
  readonly tableName: string;
}

const tenantId = 'scale-model';
/** Monday 1 March 2027, 09:00 UTC: the booking is made a week ahead, as most are. */
const madeAt = Date.parse('2027-03-01T09:00:00Z');
const start = '2027-03-08T10:00:00+01:00';
const end = '2027-03-08T10:45:00+01:00';

/** Counts every DynamoDB call by operation, and the items each write call writes. */
function meter(client: DynamoDBClient) {
  const counts = { byOperation: new Map<string, number>(), itemsWritten: 0, on: false };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (counts.on) {
        const operation = String(context.commandName).replace(/Command$/, '');
        counts.byOperation.set(operation, (counts.byOperation.get(operation) ?? 0) + 1);
        const input = args.input as { TransactItems?: unknown[]; RequestItems?: Record<string, unknown[]> };
        if (['PutItem', 'UpdateItem', 'DeleteItem'].includes(operation)) counts.itemsWritten += 1;
        if (operation === 'TransactWriteItems') counts.itemsWritten += (input.TransactItems ?? []).filter((item) => !('ConditionCheck' in (item as object))).length;
        if (operation === 'BatchWriteItem') counts.itemsWritten += Object.values(input.RequestItems ?? {}).reduce((sum, items) => sum + items.length, 0);
      }
      return next(args);
    },
    { step: 'initialize', name: 'lifecycleMeter' },
  );
  return counts;
}

/** Reads the table's stream from where it was last read, as Lambda's event source mapping would. */
async function streamReader(client: DynamoDBClient, endpoint: string, tableName: string) {
  const streams = new DynamoDBStreamsClient({ endpoint, region: LOCAL_REGION, credentials: await client.config.credentials() });
  const streamArn = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`table ${tableName} has no stream`);
  const positions = new Map<string, string | undefined>();
  const passes = compileFilter(evaluatorFilterPatterns);
  return {
    async next(): Promise<DynamoDBRecord[]> {
      const records: DynamoDBRecord[] = [];
      const shards = (await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription?.Shards ?? [];
      for (const shard of shards) {
        const after = positions.get(shard.ShardId!);
        let iterator = (
          await streams.send(
            new GetShardIteratorCommand(
              after ? { StreamArn: streamArn, ShardId: shard.ShardId!, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after } : { StreamArn: streamArn, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' },
            ),
          )
        ).ShardIterator;
        while (iterator) {
          const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
          for (const record of page.Records ?? []) {
            positions.set(shard.ShardId!, record.dynamodb?.SequenceNumber);
            const lambdaRecord = toLambdaRecord(record, streamArn, LOCAL_REGION);
            if (passes(lambdaRecord)) records.push(lambdaRecord);
          }
          if (!page.Records?.length) break;
          iterator = page.NextShardIterator;
        }
      }
      return records;
    },
  };
}

/** Plays one booking's life (created, two reminders by email and SMS, completed, the client's follow-up) and counts what it cost. */
export async function countBookingLifecycle({ client, endpoint, tableName }: LifecycleOptions): Promise<LifecycleCounts> {
  let now = madeAt;
  const clock = () => new Date(now);
  const dynamo = meter(client);
  const documents = createDocumentClient(client);
  const store = dynamoRecordStore(documents, tableName);
  const messages = dynamoMessageLog(documents, tableName);

  const counts = { apiRequests: 0, schedulerCreate: 0, schedulerDelete: 0, sqsSendBatch: 0, sqsMessages: 0, sesSend: 0, snsPublish: 0, sesEvents: 0, evaluatorInvocations: 0, deliveryInvocations: 0 };
  const queued: string[] = [];
  const armed = new Map<string, ScheduledDelivery>();
  const queue: DeliveryQueue = {
    async enqueue(bodies) {
      counts.sqsSendBatch += Math.ceil(bodies.length / 10);
      counts.sqsMessages += bodies.length;
      queued.push(...bodies.map((entry) => entry.body));
    },
  };
  const scheduler: MessageScheduler = {
    async arm(schedules) {
      counts.schedulerCreate += schedules.length;
      for (const schedule of schedules) armed.set(schedule.name, schedule);
    },
    async disarm(names) {
      counts.schedulerDelete += names.length;
      for (const name of names) armed.delete(name);
    },
  };
  const sentEmails: { tenantId: string; messageId: string; messageType: string }[] = [];
  const email: EmailSender = {
    async send(message) {
      counts.sesSend += 1;
      sentEmails.push(message);
      return { providerMessageId: `ses-${ulid()}` };
    },
    evidence: async () => ({ accepted: 'unknown', why: 'not asked in the model' }),
  };
  const sms: SmsSender = {
    async send() {
      counts.snsPublish += 1;
      return { providerMessageId: `sns-${ulid()}` };
    },
    evidence: async () => ({ accepted: 'unknown', why: 'not asked in the model' }),
  };

  // The unsubscribe links' key, as Secrets Manager would give it (read once per container: not counted).
  const key = new TextEncoder().encode('scale-model-unsubscribe-key-32-bytes!!');
  const unsubscribeKey = async () => key;
  const unsubscribeLink: DeliveryDeps['unsubscribeLink'] = async (claims) => unsubscribeUrl('https://api.example.com', await signUnsubscribeToken(key, claims, clock()));
  const smsUsage = dynamoSmsUsage(documents, tableName);
  const appDeps: AppDeps = {
    unsubscribeKey,
    smsUsage,
    store,
    messages,
    queue,
    documents: {
      uploadUrl: () => Promise.reject(new Error('no documents in the model')),
      describe: () => Promise.reject(new Error('no documents in the model')),
      copy: () => Promise.reject(new Error('no documents in the model')),
      downloadUrl: () => Promise.reject(new Error('no documents in the model')),
      read: () => Promise.reject(new Error('no documents in the model')),
      write: () => Promise.reject(new Error('no documents in the model')),
    },
    importQueue: { enqueue: () => Promise.reject(new Error('no imports in the model')) },
    rateLimiter: dynamoRateLimiter(documents, tableName),
    now: clock,
    newId: ulid,
  };
  const api = httpHandler(
    apiAreas.flatMap((area) => area.routes),
    () => appDeps,
  );
  const call = async (routeKey: string, body?: unknown, headers: Record<string, string> = {}, pathParameters?: Record<string, string>) => {
    if (dynamo.on) counts.apiRequests += 1;
    const result = await api(apiEvent({ routeKey, body, tenantId, headers, ...(pathParameters ? { pathParameters } : {}) }), lambdaContext);
    if ((result.statusCode ?? 500) >= 300) throw new Error(`${routeKey} answered ${result.statusCode}: ${result.body}`);
    return { body: JSON.parse(result.body ?? 'null'), etag: result.headers?.etag };
  };

  const stream = await streamReader(client, endpoint, tableName);
  const evaluatorDeps = { loadRules: (tenant: string) => loadTenantRules(documents, tableName, tenant), store, messages, scheduler, queue, now: clock };
  const emailEventsDeps = { outcomes: dynamoMessageOutcomes(documents, tableName), clients: dynamoClientSuppressions(documents, tableName), now: clock };

  /** Runs the evaluator on what the stream has, then delivers what was queued, then the SES events of what was sent, until all is quiet. */
  async function settle(): Promise<void> {
    for (;;) {
      const records = await stream.next();
      if (records.length > 0) {
        if (dynamo.on) counts.evaluatorInvocations += 1;
        const response = await evaluateStream(records, evaluatorDeps);
        if (response.batchItemFailures.length > 0) throw new Error(`the evaluator failed ${response.batchItemFailures.length} records`);
      }
      const bodies = queued.splice(0);
      for (const body of bodies) {
        if (dynamo.on) counts.deliveryInvocations += 1;
        const sqsRecord = { messageId: ulid(), body, attributes: { ApproximateReceiveCount: '1' } } as unknown as Parameters<typeof deliverBatch>[0][number];
        const response = await deliverBatch([sqsRecord], { store, messages, email, sms, unsubscribeLink, smsUsage, scheduler, now: clock }, 5, () => 60_000);
        if (response.batchItemFailures.length > 0) throw new Error('a delivery failed');
      }
      const emails = sentEmails.splice(0);
      for (const sent of emails) {
        const tags = Object.fromEntries(emailTagsFor(sent).map((tag) => [tag.Name, [tag.Value]]));
        for (const type of ['Send', 'Delivery'] as const) {
          if (dynamo.on) counts.sesEvents += 1;
          await handleEmailEvent(sesEvent(type, tags, { timestamp: clock().toISOString() }), emailEventsDeps);
        }
      }
      if (records.length === 0 && bodies.length === 0 && emails.length === 0) return;
    }
  }

  /** Moves the clock to each armed schedule in turn and fires it, as EventBridge Scheduler would. */
  async function fireUntil(until: number): Promise<void> {
    for (;;) {
      const due = [...armed.values()].filter((schedule) => Date.parse(schedule.at) <= until).sort((a, b) => a.at.localeCompare(b.at))[0];
      if (!due) break;
      now = Math.max(now, Date.parse(due.at));
      armed.delete(due.name);
      // The schedule puts its body on the delivery queue (one SendMessage, made by the Scheduler service).
      counts.sqsMessages += 1;
      queued.push(due.body);
      await settle();
    }
    now = until;
  }

  // The business as it is set up once, not counted: settings, the settings page, a location, a client.
  await call('PUT /settings', { businessName: 'Salón Lucía', timeZone: 'Europe/Madrid', defaultLanguage: 'es', contactEmail: 'lucia@example.com', bookingApproval: 'automatic', orderStatuses: ['New'], leadStatuses: ['New'] }, { 'if-match': '"0"' });
  const page = (await call('GET /settings/automated-messages')).body;
  await call(
    'PUT /settings/automated-messages',
    {
      ...page,
      version: undefined,
      updatedAt: undefined,
      bookingConfirmation: { ...page.bookingConfirmation, sms: true },
      bookingReminders: [
        { before: { amount: 1, unit: 'days' }, sms: true },
        { before: { amount: 2, unit: 'hours' }, sms: true },
      ],
      followUp: { mode: 'automatic', after: { amount: 1, unit: 'days' }, sms: false, businessHoursOnly: false },
    },
    { 'if-match': `"${page.version}"` },
  );
  const location = (await call('POST /locations', { name: 'Centro', timeZone: 'Europe/Madrid' })).body;
  const person = (await call('POST /clients', { firstName: 'Ana', email: 'ana@example.com', phone: '+34600000001', language: 'es', consent: { email: true, sms: true } })).body;
  await settle();

  // The counted life: made a week ahead, reminded twice, completed, followed up.
  dynamo.on = true;
  const booking = await call('POST /bookings', { clientId: person.id, locationId: location.id, service: 'Corte', start, end });
  await settle();
  await fireUntil(Date.parse(end));
  now = Date.parse(end) + 60_000;
  await call('POST /bookings/{id}/complete', undefined, {}, { id: booking.body.id });
  await settle();
  await fireUntil(Date.parse(end) + 3 * 86_400_000);
  dynamo.on = false;

  return { ...counts, dynamodb: Object.fromEntries([...dynamo.byOperation].sort()), itemsWritten: dynamo.itemsWritten };
}
