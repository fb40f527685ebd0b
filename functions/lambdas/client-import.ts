import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { clientImportKind } from '#domain/imports/client-import.ts';
import { failImport, ImportStep, runImportStep, type ImportDeps } from '#services/client-import.ts';
import { maxReceiveCount, now, once, recordStore } from '#wiring/core.ts';
import { documentStorage } from '#wiring/s3.ts';
import { importQueue } from '#wiring/sqs.ts';
import { logger } from '#logger';

/**
 * The import worker: each message of the import queue is one chunk of one import (see
 * services/client-import.ts). A failed chunk is reported in batchItemFailures and comes back after
 * the visibility timeout; on its last receive the import is marked failed, so it never shows
 * `running` for ever, and the message moves to the dead-letter queue.
 */
export async function importBatch(records: readonly SQSRecord[], deps: ImportDeps, maxReceives: number): Promise<SQSBatchResponse> {
  const failures: { itemIdentifier: string }[] = [];
  for (const record of records) {
    const receiveCount = Number(record.attributes.ApproximateReceiveCount) || 1;
    let step: ImportStep | undefined;
    try {
      step = ImportStep.parse(JSON.parse(record.body));
      const result = await runImportStep(step, deps);
      logger.info('import step', { ...step, result, receiveCount });
    } catch (error) {
      logger.error('import step failed', { error: error as Error, sqsMessageId: record.messageId, receiveCount, final: receiveCount >= maxReceives });
      if (step && receiveCount >= maxReceives) {
        const job = await deps.store.get(step.tenantId, clientImportKind, step.importId);
        if (job) await failImport(deps, step.tenantId, job, `The import stopped at row ${job.nextRow + 1} after ${receiveCount} tries: ${(error as Error).message}`);
      }
      failures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures: failures };
}

/** The worker reads the table (on its own role: it works for whichever business each chunk names), the import files and its own queue (it passes each chunk on). */
const deps = once((): ImportDeps => ({ store: recordStore(), documents: documentStorage(), importQueue: importQueue(), now }));

export async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  logger.addContext(context);
  return importBatch(event.Records, deps(), maxReceiveCount());
}
