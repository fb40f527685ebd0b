import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { messageKind } from '#domain/messages/conversation.ts';
import type { MessageLog, StoredMessage } from '#domain/messages/ports.ts';
import { itemOnlyAttributes, recordKey, tenantPartition } from '#adapters/dynamodb/item-keys.ts';
import { decodeCursor, encodeCursor } from '#adapters/dynamodb/cursor.ts';
import { badCursor } from '#domain/errors.ts';

/** An item as the message it holds, with its lease: the table's own attributes left out. */
export function storedMessage(item: Record<string, unknown>): StoredMessage {
  const message = { ...item };
  for (const attribute of itemOnlyAttributes) delete message[attribute];
  return message as StoredMessage;
}

/**
 * Messages live in the records table: `message#<id>` under the tenant, and in the ByClient index
 * under their client, newest first by `message#<createdAt>#<id>`.
 */
export function dynamoMessageLog(documents: DynamoDBDocumentClient, tableName: string): MessageLog {
  const clientPartition = (tenantId: string, clientId: string) => `${tenantPartition(tenantId)}#client#${clientId}`;

  return {
    async claim(tenantId, message, leaseUntil) {
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
            // New, or handed back by a sender whose provider refused it; anything else is settled by the caller.
            ConditionExpression: 'attribute_not_exists(pk) OR #status = :retrying',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':retrying': 'retrying' },
            // What is there comes back with the refusal: no second read.
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return { claimed: true };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        if (!error.Item) throw new Error(`message ${message.id}: the claim was refused without the stored item`);
        return { claimed: false, current: storedMessage(unmarshall(error.Item)) };
      }
    },

    async transition(tenantId, id, heldUntil, changes) {
      const entries = Object.entries(changes).filter(([, value]) => value !== undefined);
      try {
        await documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: recordKey(tenantId, messageKind, id),
            UpdateExpression: `SET ${entries.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
            ConditionExpression: '#status = :sending AND #lease = :held',
            ExpressionAttributeNames: { ...Object.fromEntries(entries.map(([name], i) => [`#f${i}`, name])), '#status': 'status', '#lease': 'leaseUntil' },
            ExpressionAttributeValues: { ...Object.fromEntries(entries.map(([, value], i) => [`:v${i}`, value])), ':sending': 'sending', ':held': heldUntil },
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
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
          const { leaseUntil: _lease, providerAccepted: _accepted, ...message } = storedMessage(item);
          return message;
        });
        return { items, nextCursor: result.LastEvaluatedKey ? encodeCursor(result.LastEvaluatedKey) : null };
      } catch (error) {
        if (startKey && error instanceof Error && error.name === 'ValidationException') throw badCursor();
        throw error;
      }
    },
  };
}
