/**
 * The local stand-in for Lambda's SQS event source mapping: pollers receive up to `batchSize`
 * messages from the queue (long polling), invoke the handler with the SQSEvent Lambda builds, delete
 * what succeeded and leave the rest to come back, as Lambda does with a partial batch response.
 *
 * The queue keeps the state (fauxqs, persisted): a message is deleted only after the handler
 * succeeded with it, so a SIGKILL at any moment leaves every unfinished message in the queue, to be
 * received again once its visibility timeout has passed. Receive counts and the move to the
 * dead-letter queue are the queue's own (its redrive policy). A failed message comes back after
 * the queue's visibility timeout, like on AWS, or after `redeliveryDelaySeconds` when a test wants
 * retries sooner.
 */
import { randomUUID } from 'node:crypto';
import { ChangeMessageVisibilityBatchCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { invokeWithTimeout, lambdaContext } from '#local/lambda-context.ts';
import { LOCAL_REGION } from '#local/local-env.ts';
import { queueDepth } from '#local/sqs-local.ts';

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

export type SqsEventSourceLogEntry = Readonly<Record<string, unknown>> & { readonly source: 'delivery'; readonly event: string };

export interface SqsEventSourceOptions {
  readonly handler: SqsHandler;
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly queueArn: string;
  /** For the Lambda context and the logs. */
  readonly functionName?: string;
  /** Records per invocation. Default 10 (Lambda's default for SQS). */
  readonly batchSize?: number;
  /** Invocations running at once (the event source's maximum concurrency). Default 10. */
  readonly maxConcurrency?: number;
  /** The function timeout. Default 30 s, as the deployed delivery function. */
  readonly timeoutMs?: number;
  /** Seconds a failed record stays invisible, by its receive count (at least 1). Default: the queue's visibility timeout. */
  readonly redeliveryDelaySeconds?: (receiveCount: number) => number;
  /** Long-poll wait of each receive. Default 1 s, so a stop or an expired visibility is noticed soon. */
  readonly waitTimeSeconds?: number;
  /** Defaults to a JSON line on stdout; `false` for silence. */
  readonly log?: ((entry: SqsEventSourceLogEntry) => void) | false;
}

export interface SqsEventSource {
  /** Resolves once no invocation runs and the queue holds nothing (waiting, in flight or delayed). */
  idle(): Promise<void>;
  /** Stops receiving (within the long-poll wait) and waits for running invocations; what they did not finish stays in the queue. */
  stop(): Promise<void>;
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Which records failed, read the way Lambda reads an SQS batch response. */
export function failedRecords(response: SQSBatchResponse | void, batch: readonly SQSRecord[]): { failed: Set<string>; reason?: string } {
  const all = new Set(batch.map((record) => record.messageId));
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
}

export function startSqsEventSource(options: SqsEventSourceOptions): SqsEventSource {
  const { handler, sqs, queueUrl, queueArn, functionName = 'delivery', batchSize = 10, maxConcurrency = 10, timeoutMs = 30_000, waitTimeSeconds = 1, redeliveryDelaySeconds } = options;
  const log =
    options.log === false ? () => undefined : (options.log ?? ((entry: SqsEventSourceLogEntry) => process.stdout.write(`${JSON.stringify(entry)}\n`)));
  const emit = (event: string, fields: Record<string, unknown> = {}): void =>
    log({ time: new Date().toISOString(), source: 'delivery', event, function: functionName, ...fields });

  const stopping = new AbortController(); // only its flag: see the receive below
  let running = 0;

  const toRecord = (message: Message): SQSRecord => ({
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: message.Attributes?.ApproximateReceiveCount ?? '1',
      SentTimestamp: message.Attributes?.SentTimestamp ?? '',
      SenderId: message.Attributes?.SenderId ?? '',
      ApproximateFirstReceiveTimestamp: message.Attributes?.ApproximateFirstReceiveTimestamp ?? '',
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: LOCAL_REGION,
  });

  const invoke = async (records: SQSRecord[]): Promise<void> => {
    const context = lambdaContext({ functionName: `client-messages-local-${functionName}`, requestId: randomUUID(), region: LOCAL_REGION, timeoutMs });
    const started = performance.now();
    let failed: Set<string>;
    let reason: string | undefined;
    try {
      ({ failed, reason } = failedRecords(await invokeWithTimeout(() => handler({ Records: records }, context), timeoutMs, functionName), records));
    } catch (error) {
      failed = new Set(records.map((record) => record.messageId));
      reason = errorText(error);
    }
    emit('invoke', {
      requestId: context.awsRequestId,
      records: records.length,
      messageIds: records.map((record) => record.messageId),
      receiveCounts: records.map((record) => Number(record.attributes.ApproximateReceiveCount)),
      ms: Math.round(performance.now() - started),
      result: failed.size === 0 ? 'ok' : failed.size === records.length ? 'failed' : 'partial',
      ...(failed.size > 0 ? { failed: failed.size, error: reason } : {}),
    });
    const done = records.filter((record) => !failed.has(record.messageId));
    if (done.length > 0) {
      const result = await sqs.send(
        new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: done.map((record, i) => ({ Id: String(i), ReceiptHandle: record.receiptHandle })) }),
      );
      // A delete that did not happen only means the record comes back, and delivery finds it handled.
      if (result.Failed?.length) emit('delete-failed', { failed: result.Failed.length, error: result.Failed.map((entry) => entry.Message ?? entry.Code).join('; ') });
    }
    const retried = records.filter((record) => failed.has(record.messageId));
    if (redeliveryDelaySeconds && retried.length > 0) {
      await sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: retried.map((record, i) => ({
            Id: String(i),
            ReceiptHandle: record.receiptHandle,
            // fauxqs loses a message made visible with 0 while persisting: 1 s is the floor.
            VisibilityTimeout: Math.max(1, Math.ceil(redeliveryDelaySeconds(Number(record.attributes.ApproximateReceiveCount)))),
          })),
        }),
      );
    }
  };

  const poll = async (): Promise<void> => {
    while (!stopping.signal.aborted) {
      let messages: Message[];
      try {
        ({ Messages: messages = [] } = await sqs.send(
          // Not aborted on stop: the emulator would still hand a message to the abandoned poll,
          // and it would wait out its visibility timeout. A stop waits for the poll instead.
          new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: batchSize, WaitTimeSeconds: waitTimeSeconds, MessageSystemAttributeNames: ['All'] }),
        ));
      } catch (error) {
        if (stopping.signal.aborted) return;
        emit('receive-failed', { error: errorText(error) });
        await new Promise((resolve) => setTimeout(resolve, 500));
        continue;
      }
      if (messages.length === 0) continue;
      running++;
      try {
        await invoke(messages.map(toRecord));
      } catch (error) {
        emit('event-source-error', { error: errorText(error) });
      } finally {
        running--;
      }
    }
  };

  const pollers = Array.from({ length: maxConcurrency }, () => poll());

  return {
    idle: async () => {
      // Twice in a row, so a message received between the two looks is not missed.
      for (let quiet = 0; quiet < 2 && !stopping.signal.aborted; ) {
        quiet = running === 0 && (await queueDepth(sqs, queueUrl)) === 0 ? quiet + 1 : 0;
        if (quiet < 2) await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    stop: async () => {
      stopping.abort();
      await Promise.allSettled(pollers);
    },
  };
}
