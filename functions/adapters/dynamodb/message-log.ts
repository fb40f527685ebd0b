import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { messageKind, type ConversationMessage } from '#domain/messages/conversation.ts';
import type { MessageLog } from '#domain/messages/ports.ts';
import { keyAttributes, recordKey, tenantPartition } from '#adapters/dynamodb/item-keys.ts';
import { badCursor, decodeCursor, encodeCursor } from '#adapters/dynamodb/cursor.ts';

/**
 * Messages live in the records table: `message#<id>` under the tenant, and in the ByClient index
 * under their client, newest first by `message#<createdAt>#<id>`.
 */
export function dynamoMessageLog(documents: DynamoDBDocumentClient, tableName: string): MessageLog {
  const clientPartition = (tenantId: string, clientId: string) => `${tenantPartition(tenantId)}#client#${clientId}`;

  return {
    async claim(tenantId, message, leaseUntil, now) {
      try {
        await documents.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...message,
              ...recordKey(tenantId, messageKind, message.id),
              gsi2pk: clientPartition(tenantId, message.clientId),
              gsi2sk: `${messageKind}#${message.createdAt}#${message.id}`,
              kind: messageKind,
              tenantId,
              leaseUntil: leaseUntil.toISOString(),
            },
            // New, or left behind by a sender that gave up or died; never one that was sent or settled.
            ConditionExpression: 'attribute_not_exists(pk) OR #status = :retrying OR (#status = :sending AND leaseUntil < :now)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':retrying': 'retrying', ':sending': 'sending', ':now': now.toISOString() },
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },

    async update(tenantId, id, changes) {
      const entries = Object.entries(changes).filter(([, value]) => value !== undefined);
      await documents.send(
        new UpdateCommand({
          TableName: tableName,
          Key: recordKey(tenantId, messageKind, id),
          UpdateExpression: `SET ${entries.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#f${i}`, name])),
          ExpressionAttributeValues: Object.fromEntries(entries.map(([, value], i) => [`:v${i}`, value])),
        }),
      );
    },

    async listForClient(tenantId, clientId, page) {
      const partition = clientPartition(tenantId, clientId);
      const startKey = page.cursor === undefined ? undefined : decodeCursor(page.cursor, tenantPartition(tenantId), 'gsi2pk', partition);
      try {
        const result = await documents.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: 'ByClient',
            KeyConditionExpression: 'gsi2pk = :pk AND begins_with(gsi2sk, :prefix)',
            ExpressionAttributeValues: { ':pk': partition, ':prefix': `${messageKind}#` },
            ScanIndexForward: false,
            Limit: page.limit,
            ExclusiveStartKey: startKey,
          }),
        );
        const items = (result.Items ?? []).map((item) => {
          const message = { ...item };
          for (const attribute of [...keyAttributes, 'kind', 'tenantId', 'leaseUntil']) delete message[attribute];
          return message as ConversationMessage;
        });
        return { items, nextCursor: result.LastEvaluatedKey ? encodeCursor(result.LastEvaluatedKey) : null };
      } catch (error) {
        if (startKey && error instanceof Error && error.name === 'ValidationException') throw badCursor();
        throw error;
      }
    },
  };
}
