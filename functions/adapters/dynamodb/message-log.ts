import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { messageKind, type ConversationMessage } from '#domain/messages/conversation.ts';
import type { MessageLog, StoredMessage } from '#domain/messages/ports.ts';
import { itemOnlyAttributes, recordKey, tenantPartition } from '#adapters/dynamodb/item-keys.ts';
import { decodeCursor, encodeCursor } from '#adapters/dynamodb/cursor.ts';
import { badCursor } from '#domain/errors.ts';
import { soonestFirst, upcomingScanLimit } from '#domain/messages/upcoming.ts';

const upcomingPageSize = 100;

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

  const item = (tenantId: string, message: ConversationMessage) => ({
    ...message,
    ...recordKey(tenantId, messageKind, message.id),
    gsi2pk: clientPartition(tenantId, message.clientId),
    gsi2sk: `${messageKind}#${message.createdAt}#${message.id}`,
    kind: messageKind,
    tenantId,
  });
  const withoutLease = (found: Record<string, unknown>[] | undefined): ConversationMessage[] =>
    (found ?? []).map((stored) => {
      const { leaseUntil: _lease, providerAccepted: _accepted, deliveryEventKeys: _keys, ...message } = storedMessage(stored) as StoredMessage & { deliveryEventKeys?: unknown };
      return message;
    });
  /** A conditional write whose condition failed changed nothing, as intended. */
  const unlessRefused = (write: Promise<unknown>): Promise<void> =>
    write.then(
      () => undefined,
      (error: unknown) => {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      },
    );

  return {
    async claim(tenantId, message, leaseUntil) {
      try {
        await documents.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...item(tenantId, message), leaseUntil: leaseUntil.toISOString() },
            // New, armed and waiting, or handed back by a sender whose provider refused it; anything else is settled by the caller.
            ConditionExpression: 'attribute_not_exists(pk) OR #status IN (:retrying, :scheduled)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':retrying': 'retrying', ':scheduled': 'scheduled' },
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
        return { items: withoutLease(result.Items), nextCursor: result.LastEvaluatedKey ? encodeCursor(result.LastEvaluatedKey) : null };
      } catch (error) {
        if (startKey && error instanceof Error && error.name === 'ValidationException') throw badCursor();
        throw error;
      }
    },

    async upcomingForClient(tenantId, clientId, limit) {
      const found: ConversationMessage[] = [];
      let startKey: Record<string, unknown> | undefined;
      let read = 0;
      // Newest first, a page at a time, reading no more than upcomingScanLimit messages however long the conversation.
      do {
        const result = await documents.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: 'ByClient',
            KeyConditionExpression: 'gsi2pk = :pk AND begins_with(gsi2sk, :prefix)',
            FilterExpression: '#status = :scheduled',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':pk': clientPartition(tenantId, clientId), ':prefix': `${messageKind}#`, ':scheduled': 'scheduled' },
            ScanIndexForward: false,
            Limit: Math.min(upcomingPageSize, upcomingScanLimit - read),
            ExclusiveStartKey: startKey,
          }),
        );
        found.push(...withoutLease(result.Items));
        read += result.ScannedCount ?? 0;
        startKey = result.LastEvaluatedKey;
      } while (startKey && read < upcomingScanLimit);
      return soonestFirst(found, limit);
    },

    async schedule(tenantId, messages) {
      await Promise.all(
        messages.map((message) =>
          unlessRefused(
            documents.send(
              new PutCommand({
                TableName: tableName,
                Item: item(tenantId, message),
                ConditionExpression: 'attribute_not_exists(pk) OR #status IN (:scheduled, :cancelled)',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':scheduled': 'scheduled', ':cancelled': 'cancelled' },
              }),
            ),
          ),
        ),
      );
    },

    async cancel(tenantId, cancellations, at) {
      await Promise.all(
        cancellations.map(({ id, reason }) =>
          unlessRefused(
            documents.send(
              new UpdateCommand({
                TableName: tableName,
                Key: recordKey(tenantId, messageKind, id),
                UpdateExpression: 'SET #status = :cancelled, #reason = :reason, updatedAt = :at',
                ConditionExpression: '#status = :scheduled',
                ExpressionAttributeNames: { '#status': 'status', '#reason': 'reason' },
                ExpressionAttributeValues: { ':cancelled': 'cancelled', ':scheduled': 'scheduled', ':reason': reason, ':at': at },
              }),
            ),
          ),
        ),
      );
    },
  };
}
