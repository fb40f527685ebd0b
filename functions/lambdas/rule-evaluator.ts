import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { evaluateStream } from '#services/evaluate-stream.ts';
import { evaluatorDeps } from '#wiring';
import { logger } from '#logger';

/** Lambda entry: DynamoDB stream batches of the records table (filtered to evaluated kinds and inbound conversation items). */
export async function handler(event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> {
  logger.addContext(context);
  return evaluateStream(event.Records, evaluatorDeps());
}
