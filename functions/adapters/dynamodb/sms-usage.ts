import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { SmsUsage } from '#domain/plans.ts';
import { tenantPartition } from '#adapters/dynamodb/item-keys.ts';

/**
 * The business's SMS segments per month, one item (`smsUsage#<YYYY-MM>`) in its partition: `used`,
 * and the set of messages whose segments it holds. One conditional UpdateItem takes a message's
 * segments only if it holds none of them yet and they fit the budget, so concurrent sends never
 * overspend and a retried send never counts twice.
 */
export function dynamoSmsUsage(documents: DynamoDBDocumentClient, tableName: string): SmsUsage {
  const key = (tenantId: string, month: string) => ({ pk: tenantPartition(tenantId), sk: `smsUsage#${month}` });
  return {
    async take(tenantId, month, message, budget) {
      try {
        const { Attributes } = await documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: key(tenantId, month),
            UpdateExpression: 'ADD #used :segments, #messages :message',
            ConditionExpression: 'NOT contains(#messages, :id) AND (attribute_not_exists(#used) OR #used <= :room)',
            ExpressionAttributeNames: { '#used': 'used', '#messages': 'messages' },
            ExpressionAttributeValues: { ':segments': message.segments, ':message': new Set([message.id]), ':id': message.id, ':room': budget - message.segments },
            ReturnValues: 'UPDATED_NEW',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        const after = Number(Attributes?.used ?? message.segments);
        return { taken: true, before: after - message.segments, after };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        // The document client does not unmarshall the old item of a failed condition.
        const old = error.Item ? unmarshall(error.Item) : {};
        const used = Number(old.used ?? 0);
        const held = old.messages instanceof Set && old.messages.has(message.id);
        // Held already: an earlier attempt of this message took them, and nothing is counted again.
        return held ? { taken: true, before: used, after: used } : { taken: false, used };
      }
    },
    async giveBack(tenantId, month, message) {
      try {
        await documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: key(tenantId, month),
            UpdateExpression: 'ADD #used :minus DELETE #messages :message',
            ConditionExpression: 'contains(#messages, :id)',
            ExpressionAttributeNames: { '#used': 'used', '#messages': 'messages' },
            ExpressionAttributeValues: { ':minus': -message.segments, ':message': new Set([message.id]), ':id': message.id },
          }),
        );
      } catch (error) {
        // Given back already, or never taken: nothing to do.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },
    async used(tenantId, month) {
      const { Item } = await documents.send(new GetCommand({ TableName: tableName, Key: key(tenantId, month), ProjectionExpression: '#used', ExpressionAttributeNames: { '#used': 'used' } }));
      return Number(Item?.used ?? 0);
    },
  };
}
