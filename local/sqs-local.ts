/**
 * The local SQS emulator (fauxqs, in this process) and the delivery queue on it: the queue the
 * evaluator and the schedule runner send to through the same SQS adapter as in AWS, with a
 * redrive policy to a dead-letter queue. With `dataDir` every send, receive and delete is written
 * through to SQLite before fauxqs answers, so what it acknowledged survives a SIGKILL.
 */
import { CreateQueueCommand, GetQueueAttributesCommand, SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { LOCAL_REGION } from '#local/local-env.ts';

export const LOCAL_DELIVERY_QUEUE = 'client-messages-delivery';
export const LOCAL_DELIVERY_DEAD_LETTERS = 'client-messages-delivery-dead-letters';
export const LOCAL_IMPORT_QUEUE = 'client-messages-imports';
export const LOCAL_IMPORT_DEAD_LETTERS = 'client-messages-imports-dead-letters';

export class SqsLocalError extends Error {
  override readonly name = 'SqsLocalError';
}

export interface SqsLocal {
  /** e.g. `http://127.0.0.1:4566`: what AWS_ENDPOINT_URL_SQS should be set to. */
  readonly endpoint: string;
  readonly port: number;
  readonly server: FauxqsServer;
  close(): Promise<void>;
}

/**
 * Starts fauxqs on `port` (0 picks a free one); with `dataDir`, queues and messages persist there.
 * Its queue URLs name `sqs.<region>.localhost`, which need not resolve: clients send to its endpoint
 * (`useQueueUrlAsEndpoint: false`).
 */
export async function startSqsLocal(options: { readonly port: number; readonly dataDir?: string }): Promise<SqsLocal> {
  let server: FauxqsServer;
  try {
    server = await startFauxqs({ port: options.port, logger: false, defaultRegion: LOCAL_REGION, ...(options.dataDir ? { dataDir: options.dataDir } : {}) });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new SqsLocalError(`Port ${options.port} is already in use, so the local SQS server cannot listen on it. Stop whatever uses it or choose another port (SQS_PORT=4567 npm start).`);
    }
    throw error;
  }
  let closing: Promise<void> | undefined;
  return { endpoint: server.address, port: server.port, server, close: () => (closing ??= server.stop()) };
}

export function createLocalSqsClient(endpoint: string): SQSClient {
  return new SQSClient({ endpoint, region: LOCAL_REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, useQueueUrlAsEndpoint: false });
}

export interface DeliveryQueues {
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly deadLetterUrl: string;
}

export interface DeliveryQueueOptions {
  readonly name?: string;
  readonly deadLetterName?: string;
  /** Longer than the delivery function's timeout, as in AWS, so a running batch is not received twice. */
  readonly visibilityTimeoutSeconds: number;
  /** Receives before SQS moves a message to the dead-letter queue (the redrive policy's maxReceiveCount). */
  readonly maxReceives: number;
}

const queueArnOf = async (sqs: SQSClient, queueUrl: string): Promise<string> => {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  if (!Attributes?.QueueArn) throw new SqsLocalError(`${queueUrl} has no QueueArn`);
  return Attributes.QueueArn;
};

/** Creates the delivery queue and its dead-letter queue if missing, and sets their attributes either way. */
export async function ensureDeliveryQueues(sqs: SQSClient, options: DeliveryQueueOptions): Promise<DeliveryQueues> {
  const { QueueUrl: deadLetterUrl } = await sqs.send(new CreateQueueCommand({ QueueName: options.deadLetterName ?? LOCAL_DELIVERY_DEAD_LETTERS }));
  if (!deadLetterUrl) throw new SqsLocalError('CreateQueue answered no dead-letter queue URL');
  const Attributes = {
    VisibilityTimeout: String(options.visibilityTimeoutSeconds),
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: await queueArnOf(sqs, deadLetterUrl), maxReceiveCount: options.maxReceives }),
  };
  const { QueueUrl: queueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: options.name ?? LOCAL_DELIVERY_QUEUE }));
  if (!queueUrl) throw new SqsLocalError('CreateQueue answered no queue URL');
  // A queue kept from an earlier run gets this run's settings.
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes }));
  return { queueUrl, queueArn: await queueArnOf(sqs, queueUrl), deadLetterUrl };
}

/** Messages waiting, in flight or delayed: zero when the queue holds nothing. */
export async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
    }),
  );
  return Number(Attributes.ApproximateNumberOfMessages ?? 0) + Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) + Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0);
}

/** A dead-lettered delivery request, as read (and left in place) from the dead-letter queue. */
export interface DeadLetter {
  readonly messageId: string;
  readonly receiveCount: number;
  readonly body: string;
}

/**
 * What the dead-letter queue holds, read without consuming it (fauxqs's inspection), so a developer
 * or a test can look as often as it likes.
 */
export function deadLetters(server: FauxqsServer, name: string = LOCAL_DELIVERY_DEAD_LETTERS): DeadLetter[] {
  const queue = server.inspectQueue(name);
  if (!queue) return [];
  const { ready, delayed, inflight } = queue.messages;
  return [...ready, ...delayed, ...inflight.map((entry) => entry.message)].map((message) => ({
    messageId: message.messageId,
    receiveCount: message.approximateReceiveCount,
    body: message.body,
  }));
}

