import { Duration } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { DocumentsBucket } from './documents-bucket.ts';
import { MessagesFunction } from './messages-function.ts';
import { deadLetterQueue, secureQueue } from './queues.ts';
import type { RecordsTable } from './records-table.ts';

/** One chunk (500 rows, see importChunkRows) takes seconds; the rest is room for a slow table. */
export const IMPORT_TIMEOUT = Duration.seconds(120);
/** The whole file (at most 10 MiB) is read and parsed on each chunk. */
export const IMPORT_MEMORY_MB = 1024;
/** Receives of one chunk before it moves to the dead-letter queue and the import is marked failed. */
export const IMPORT_MAX_RECEIVES = 5;
/** As AWS advises for a queue feeding Lambda: six times the function's timeout. */
export const IMPORT_VISIBILITY_TIMEOUT = Duration.seconds(6 * IMPORT_TIMEOUT.toSeconds());
/** Imports of several businesses go on side by side, few enough to leave the table's capacity to the API. */
export const IMPORT_MAX_CONCURRENCY = 4;

export interface ClientImportWorkerProps {
  /** Absolute path of the module exporting the SQS `handler` (functions/lambdas/client-import.ts). */
  readonly entry: string;
  readonly records: RecordsTable;
  readonly documents: DocumentsBucket;
}

/**
 * The import worker: a queue of import chunks (one message each, the next one queued by the
 * worker itself), a dead-letter queue for chunks that failed every receive, and the function. It
 * reads and writes the records table, reads import files and writes reports under `imports/` of
 * the documents bucket, and sends only to its own queue.
 */
export class ClientImportWorker extends Construct {
  readonly queue: Queue;
  readonly deadLetters: Queue;
  readonly fn: MessagesFunction;

  constructor(scope: Construct, id: string, props: ClientImportWorkerProps) {
    super(scope, id);
    this.deadLetters = deadLetterQueue(this, 'DeadLetters');
    this.queue = secureQueue(this, 'Queue', {
      visibilityTimeout: IMPORT_VISIBILITY_TIMEOUT,
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: IMPORT_MAX_RECEIVES },
    });
    this.fn = new MessagesFunction(this, 'Handler', {
      entry: props.entry,
      description: 'Client import: one chunk of a CSV file per message -> clients, checkpoint, next chunk',
      tableName: props.records.table.tableName,
      environment: {
        IMPORT_QUEUE_URL: this.queue.queueUrl,
        DOCUMENTS_BUCKET: props.documents.bucket.bucketName,
        // The handler treats this receive as the last one: it must match the redrive policy.
        MAX_RECEIVE_COUNT: String(IMPORT_MAX_RECEIVES),
      },
      timeout: IMPORT_TIMEOUT,
      memorySize: IMPORT_MEMORY_MB,
    });
    props.records.grantItemReadWrite(this.fn);
    props.documents.grantImportWork(this.fn);
    this.grantSend(this.fn);
    this.fn.function.addEventSource(new SqsEventSource(this.queue, { batchSize: 1, maxConcurrency: IMPORT_MAX_CONCURRENCY, reportBatchItemFailures: true }));
  }

  /** Queueing an import's chunks: SendMessage on this queue only (SQS-managed encryption needs no KMS grant). */
  grantSend(fn: MessagesFunction): void {
    fn.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }));
  }
}
