import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { evaluateStream } from '#services/evaluate-stream.ts';
import { evaluatorDeps } from '#wiring/evaluator.ts';
import { logger } from '#logger';
import { publishMetrics } from '#metrics';

/** Lambda entry: DynamoDB stream batches of the records table (filtered to evaluated kinds and inbound conversation items). */
export async function handler(event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> {
  logger.addContext(context);
  try {
    return await evaluateStream(event.Records, evaluatorDeps());
  } finally {
    publishMetrics();
  }
}
