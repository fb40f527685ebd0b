import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RateLimiter } from '#domain/rate-limit.ts';

/** The partition of a counter's items (one per window). */
export const rateCounterPartition = (key: string): string => `rate#${key}`;

/**
 * Fixed-window counters in the records table (`rate#<key>` / `<window start>`): one conditional
 * UpdateItem per request, so the limit holds across every Lambda instance. Counters carry the
 * table's TTL attribute and disappear a window after they end.
 */
export function dynamoRateLimiter(documents: DynamoDBDocumentClient, tableName: string): RateLimiter {
  return {
    async take(key, limit, now) {
      const windowMs = limit.windowSeconds * 1000;
      const start = Math.floor(now.getTime() / windowMs) * windowMs;
      try {
        await documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: rateCounterPartition(key), sk: new Date(start).toISOString() },
            UpdateExpression: 'ADD #count :one SET expiresAt = :expiresAt',
            ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
            ExpressionAttributeNames: { '#count': 'count' },
            ExpressionAttributeValues: { ':one': 1, ':limit': limit.limit, ':expiresAt': Math.ceil((start + 2 * windowMs) / 1000) },
          }),
        );
        return { allowed: true };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((start + windowMs - now.getTime()) / 1000)) };
      }
    },
  };
}
