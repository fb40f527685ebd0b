/**
 * The local stand-in for the delivery queue's event source mapping (SQS → Lambda): takes what the
 * evaluator enqueues on the in-process delivery queue and invokes the delivery handler with the
 * SQSEvent Lambda would build, up to `batchSize` records per invocation.
 *
 * Like SQS with a redrive policy: records named in `batchItemFailures` (all of them if the handler
 * throws, times out or answers with an invalid identifier) come back after a visibility delay with
 * ApproximateReceiveCount one higher; after `maxReceives` receives they go to the dead-letter file
 * (the local DLQ). Nothing is kept across restarts.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { inProcessDeliveryQueue, type QueuedMessage } from '#adapters/local/in-process-delivery-queue.ts';
import { invokeWithTimeout, lambdaContext, LOCAL_ACCOUNT_ID } from '#local/lambda-context.ts';
import { LOCAL_REGION } from '#local/local-env.ts';

export type DeliveryHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

export const LOCAL_DELIVERY_QUEUE_ARN = `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:delivery`;

export type DeliveryRunnerLogEntry = Readonly<Record<string, unknown>> & { readonly source: 'delivery'; readonly event: string };

export interface DeliveryRunnerOptions {
  readonly handler: DeliveryHandler;
  /** For the Lambda context and the logs. */
  readonly functionName?: string;
  /** Defaults to the in-process delivery queue the evaluator enqueues on in local mode. */
  readonly queue?: { subscribe(consumer: (messages: readonly QueuedMessage[]) => void): () => void };
  /** Records per invocation. Default 10 (Lambda's default for SQS). */
  readonly batchSize?: number;
  /** Receives before a message is dead-lettered (the redrive policy's maxReceiveCount). Default 5. */
  readonly maxReceives?: number;
  /** How long a failed message stays invisible after its `receiveCount`-th receive. Default 200 ms × receiveCount. */
  readonly redeliveryDelayMs?: (receiveCount: number) => number;
  /** The local DLQ: one JSON line per dead-lettered message. */
  readonly deadLetterFile?: string;
  readonly queueArn?: string;
  /** Invocations running at once (the event source's maximum concurrency). Default 10. */
  readonly maxConcurrency?: number;
  /** The function timeout. Default 60 s. */
  readonly timeoutMs?: number;
  readonly region?: string;
  /** Defaults to a JSON line on stdout; `false` for silence. */
  readonly log?: ((entry: DeliveryRunnerLogEntry) => void) | false;
}

export interface DeliveryRunner {
  /** Resolves once nothing is queued, running or waiting to be redelivered. */
  idle(): Promise<void>;
  /** Unsubscribes, waits for running invocations and drops what waits for redelivery. */
  stop(): Promise<void>;
}

interface Message {
  readonly id: string;
  readonly body: string;
  readonly sentTimestamp: number;
  receiveCount: number;
  firstReceiveTimestamp: number | undefined;
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export function startDeliveryRunner(options: DeliveryRunnerOptions): DeliveryRunner {
  const {
    handler,
    functionName = 'delivery',
    queue = inProcessDeliveryQueue,
    batchSize = 10,
    maxReceives = 5,
    redeliveryDelayMs = (receiveCount: number) => 200 * receiveCount,
    deadLetterFile,
    queueArn = LOCAL_DELIVERY_QUEUE_ARN,
    maxConcurrency = 10,
    timeoutMs = 60_000,
    region = LOCAL_REGION,
  } = options;
  const log =
    options.log === false ? () => undefined : (options.log ?? ((entry: DeliveryRunnerLogEntry) => process.stdout.write(`${JSON.stringify(entry)}\n`)));
  const emit = (event: string, fields: Record<string, unknown> = {}): void =>
    log({ time: new Date().toISOString(), source: 'delivery', event, function: functionName, ...fields });
  const senderId = `AROA${LOCAL_ACCOUNT_ID}LOCAL:client-messages-local-evaluator`;

  const ready: Message[] = [];
  const invisible = new Map<NodeJS.Timeout, Message>();
  const running = new Set<Promise<void>>();
  let drainScheduled = false;
  let stopped = false;
  let waiters: Array<() => void> = [];

  const isIdle = (): boolean => ready.length === 0 && invisible.size === 0 && running.size === 0 && !drainScheduled;
  const checkIdle = (): void => {
    if (!isIdle()) return;
    const resolved = waiters;
    waiters = [];
    for (const resolve of resolved) resolve();
  };

  const toRecord = (message: Message): SQSRecord => ({
    messageId: message.id,
    receiptHandle: randomBytes(48).toString('base64'),
    body: message.body,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentTimestamp),
      SenderId: senderId,
      ApproximateFirstReceiveTimestamp: String(message.firstReceiveTimestamp),
    },
    messageAttributes: {},
    md5OfBody: createHash('md5').update(message.body, 'utf8').digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  });

  /** Which messages failed, read the way Lambda reads an SQS batch response. */
  const failedIds = (response: SQSBatchResponse | void, batch: readonly Message[]): { failed: Set<string>; reason?: string } => {
    const all = new Set(batch.map((message) => message.id));
    const failures = response?.batchItemFailures;
    if (failures === undefined || failures === null) return { failed: new Set() };
    if (!Array.isArray(failures)) return { failed: all, reason: 'batchItemFailures is not a list: the whole batch counts as failed' };
    const failed = new Set<string>();
    for (const failure of failures) {
      const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
      if (typeof id !== 'string' || id === '' || !all.has(id)) {
        return { failed: all, reason: `invalid batchItemFailures entry ${JSON.stringify(failure)}: the whole batch counts as failed` };
      }
      failed.add(id);
    }
    return { failed, reason: `handler reported ${failed.size} failed record(s)` };
  };

  const deadLetter = async (messages: readonly Message[], reason: string): Promise<void> => {
    if (deadLetterFile) {
      const time = new Date().toISOString();
      const lines = messages.map((message) => ({
        time,
        queueArn,
        messageId: message.id,
        receiveCount: message.receiveCount,
        sentTimestamp: message.sentTimestamp,
        reason,
        body: message.body,
      }));
      try {
        await mkdir(dirname(deadLetterFile), { recursive: true });
        await appendFile(deadLetterFile, lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
      } catch (error) {
        emit('dead-letter-file-not-written', { file: deadLetterFile, error: errorText(error) });
      }
    }
    for (const message of messages) {
      emit('dead-letter', { messageId: message.id, receiveCount: message.receiveCount, reason, ...(deadLetterFile ? { deadLetterFile } : {}) });
    }
  };

  const runBatch = async (batch: Message[]): Promise<void> => {
    const now = Date.now();
    for (const message of batch) {
      message.receiveCount++;
      message.firstReceiveTimestamp ??= now;
    }
    const event: SQSEvent = { Records: batch.map(toRecord) };
    const context = lambdaContext({ functionName: `client-messages-local-${functionName}`, requestId: randomUUID(), region, timeoutMs });
    const started = performance.now();
    let failed: Set<string>;
    let reason: string | undefined;
    try {
      const response = await invokeWithTimeout(() => handler(event, context), timeoutMs, functionName);
      ({ failed, reason } = failedIds(response, batch));
    } catch (error) {
      failed = new Set(batch.map((message) => message.id));
      reason = errorText(error);
    }
    emit('invoke', {
      requestId: context.awsRequestId,
      records: batch.length,
      messageIds: batch.map((message) => message.id),
      receiveCounts: batch.map((message) => message.receiveCount),
      ms: Math.round(performance.now() - started),
      result: failed.size === 0 ? 'ok' : failed.size === batch.length ? 'failed' : 'partial',
      ...(failed.size > 0 ? { failed: failed.size, error: reason } : {}),
    });

    const exhausted: Message[] = [];
    for (const message of batch) {
      if (!failed.has(message.id)) continue;
      if (message.receiveCount >= maxReceives) {
        exhausted.push(message);
        continue;
      }
      if (stopped) continue;
      const wait = redeliveryDelayMs(message.receiveCount);
      const timer = setTimeout(() => {
        invisible.delete(timer);
        if (stopped) return;
        ready.push(message);
        scheduleDrain();
      }, wait);
      invisible.set(timer, message);
    }
    if (exhausted.length > 0) await deadLetter(exhausted, reason ?? 'failed');
  };

  const drain = (): void => {
    drainScheduled = false;
    while (!stopped && ready.length > 0 && running.size < maxConcurrency) {
      const batch = ready.splice(0, batchSize);
      const run: Promise<void> = runBatch(batch)
        .catch((error: unknown) => emit('runner-error', { error: errorText(error) }))
        .finally(() => {
          running.delete(run);
          if (ready.length > 0) scheduleDrain();
          checkIdle();
        });
      running.add(run);
    }
    checkIdle();
  };

  const scheduleDrain = (): void => {
    if (drainScheduled || stopped) return;
    drainScheduled = true;
    // Messages enqueued together in one tick travel together, like one SendMessageBatch.
    setImmediate(drain);
  };

  const unsubscribe = queue.subscribe((messages) => {
    if (stopped) throw new Error('The local delivery runner has stopped');
    const sentTimestamp = Date.now();
    for (const { id, body } of messages) {
      ready.push({ id, body, sentTimestamp, receiveCount: 0, firstReceiveTimestamp: undefined });
    }
    scheduleDrain();
  });

  return {
    idle: () =>
      isIdle() || stopped
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            waiters.push(resolve);
          }),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      unsubscribe();
      await Promise.allSettled([...running]);
      const dropped = ready.length + invisible.size;
      for (const timer of invisible.keys()) clearTimeout(timer);
      invisible.clear();
      ready.length = 0;
      drainScheduled = false;
      if (dropped > 0) emit('stopped-with-messages', { dropped });
      for (const resolve of waiters.splice(0)) resolve();
    },
  };
}
