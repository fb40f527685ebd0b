import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand, type DynamoDBDocumentClient, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { messageKind } from '#domain/messages/conversation.ts';
import type { MessageOutcomes } from '#domain/messages/ports.ts';
import { unsettledStatuses } from '#domain/messages/provider-events.ts';
import { recordKey } from '#adapters/dynamodb/item-keys.ts';

/** Marks what settled a message, beside delivery's own writes. */
const settledBy = 'ses_event';

/**
 * Provider evidence on the message items of the records table (`message#<id>` under the tenant):
 * conditional UpdateItems only, never a read or a put, so an item is changed only where it exists.
 */
export function dynamoMessageOutcomes(documents: DynamoDBDocumentClient, tableName: string): MessageOutcomes {
  /** Sends one conditional update: 'updated', or the item as it was when the condition failed (none when it does not exist). */
  async function conditionally(tenantId: string, messageId: string, update: Pick<UpdateCommandInput, 'UpdateExpression' | 'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'>) {
    try {
      await documents.send(
        new UpdateCommand({ TableName: tableName, Key: recordKey(tenantId, messageKind, messageId), ...update, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }),
      );
      return 'updated' as const;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return { current: error.Item as Record<string, unknown> | undefined };
      throw error;
    }
  }

  /** Sets `changes` on the message if it exists and is still unsettled. */
  function settle(tenantId: string, messageId: string, changes: Record<string, unknown>) {
    const names = Object.keys(changes);
    const statuses = unsettledStatuses.map((_, i) => `:unsettled${i}`);
    return conditionally(tenantId, messageId, {
      UpdateExpression: `SET ${names.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
      ConditionExpression: `attribute_exists(pk) AND #status IN (${statuses.join(', ')})`,
      ExpressionAttributeNames: { '#status': 'status', ...Object.fromEntries(names.map((name, i) => [`#f${i}`, name])) },
      ExpressionAttributeValues: {
        ...Object.fromEntries(unsettledStatuses.map((status, i) => [statuses[i]!, status])),
        ...Object.fromEntries(names.map((name, i) => [`:v${i}`, changes[name]])),
      },
    });
  }

  return {
    async providerAccepted(tenantId, messageId, { providerMessageId, sentAt, at }) {
      const settled = await settle(tenantId, messageId, { status: 'sent', providerMessageId, sentAt, settledBy, providerAccepted: true, updatedAt: at });
      if (settled === 'updated') return 'settled';
      // Not ours, or this evidence is on it already (a repeated event): nothing more to write.
      if (settled.current === undefined || settled.current.providerAccepted !== undefined) return 'unchanged';
      // Delivery decided its status (sent, or retrying after an error though SES took the email):
      // keep it, and keep the provider id delivery recorded, if any.
      const recorded = await conditionally(tenantId, messageId, {
        UpdateExpression: 'SET providerAccepted = :accepted, providerMessageId = if_not_exists(providerMessageId, :providerMessageId)',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(providerAccepted)',
        ExpressionAttributeValues: { ':accepted': true, ':providerMessageId': providerMessageId },
      });
      return recorded === 'updated' ? 'recorded' : 'unchanged';
    },

    async providerRejected(tenantId, messageId, { providerMessageId, reason, at }) {
      const settled = await settle(tenantId, messageId, { status: 'failed', reason, providerMessageId, settledBy, updatedAt: at });
      return settled === 'updated' ? 'settled' : 'unchanged';
    },
  };
}
