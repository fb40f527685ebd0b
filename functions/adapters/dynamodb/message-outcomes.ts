import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand, type DynamoDBDocumentClient, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { clientKind, type EmailSuppression } from '#domain/clients.ts';
import { messageKind } from '#domain/messages/conversation.ts';
import type { ClientSuppressions, MessageOutcomes } from '#domain/messages/ports.ts';
import { maxDeliveryEvents, type ProviderChange } from '#domain/messages/provider-events.ts';
import { recordKey } from '#adapters/dynamodb/item-keys.ts';

/** The string set of history keys kept beside `deliveryEvents`: what makes a repeated event a no-op in the condition itself. */
export const deliveryEventKeys = 'deliveryEventKeys';

type Expression = Pick<UpdateCommandInput, 'UpdateExpression' | 'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'>;

/** Sends one conditional update: the item after it, or the item as it was when the condition failed (none when it does not exist). */
async function conditionally(documents: DynamoDBDocumentClient, tableName: string, key: Record<string, string>, update: Expression) {
  try {
    const result = await documents.send(new UpdateCommand({ TableName: tableName, Key: key, ...update, ReturnValues: 'ALL_NEW', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }));
    return { updated: (result.Attributes ?? {}) as Record<string, unknown> };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    // The document client does not unmarshall the item a failed condition returns.
    return { current: error.Item ? unmarshall(error.Item) : undefined };
  }
}

/**
 * Builds the SET and the values for `set` (overwritten) and `ifMissing` (written where not there),
 * with the history entry appended and its key added to the key set; `prefix` keeps placeholders apart.
 */
function historyWrite(change: ProviderChange, set: Readonly<Record<string, unknown>>) {
  const names: Record<string, string> = { '#events': 'deliveryEvents', '#keys': deliveryEventKeys };
  const values: Record<string, unknown> = { ':entry': [change.entry], ':none': [], ':key': change.key, ':keySet': new Set([change.key]), ':max': maxDeliveryEvents };
  const clauses = ['#events = list_append(if_not_exists(#events, :none), :entry)'];
  const add = (attributes: Readonly<Record<string, unknown>>, missingOnly: boolean, tag: string) =>
    Object.entries(attributes).forEach(([name, value], i) => {
      names[`#${tag}${i}`] = name;
      values[`:${tag}${i}`] = value;
      clauses.push(missingOnly ? `#${tag}${i} = if_not_exists(#${tag}${i}, :${tag}${i})` : `#${tag}${i} = :${tag}${i}`);
    });
  add({ ...change.always.set, ...set }, false, 's');
  // What `set` writes is not written again as if missing (one path may appear once in an update).
  add(Object.fromEntries(Object.entries(change.always.ifMissing).filter(([name]) => !(name in set))), true, 'm');
  return {
    UpdateExpression: `SET ${clauses.join(', ')} ADD #keys :keySet`,
    // Once per key; the history stays bounded.
    condition: 'attribute_exists(pk) AND NOT contains(#keys, :key) AND (attribute_not_exists(#events) OR size(#events) < :max)',
    names,
    values,
  };
}

/**
 * Provider evidence on the message items of the records table (`message#<id>` under the tenant):
 * conditional UpdateItems only, never a read or a put, so an item is changed only where it exists.
 */
export function dynamoMessageOutcomes(documents: DynamoDBDocumentClient, tableName: string): MessageOutcomes {
  return {
    async providerEvent(tenantId, messageId, change) {
      const key = recordKey(tenantId, messageKind, messageId);
      const clientOf = (item: Record<string, unknown>) => (typeof item.clientId === 'string' ? { clientId: item.clientId } : {});
      const moving = historyWrite(change, { status: change.move.to, ...change.move.set });
      const from = change.move.from.map((_, i) => `:from${i}`);
      const moved = await conditionally(documents, tableName, key, {
        UpdateExpression: moving.UpdateExpression,
        ConditionExpression: `${moving.condition} AND #status IN (${from.join(', ')})`,
        ExpressionAttributeNames: { ...moving.names, '#status': 'status' },
        ExpressionAttributeValues: { ...moving.values, ...Object.fromEntries(change.move.from.map((status, i) => [from[i]!, status])) },
      });
      if ('updated' in moved) return { write: 'settled', ...clientOf(moved.updated as Record<string, unknown>) };
      const current: Record<string, unknown> | undefined = moved.current;
      if (current === undefined) return { write: 'unchanged' };
      const seen = current[deliveryEventKeys] instanceof Set && current[deliveryEventKeys].has(change.key);
      if (seen) return { write: 'unchanged', ...clientOf(current) };
      // Its status ranks as high or higher already (or delivery decided it): keep it, keep the event.
      const recording = historyWrite(change, {});
      const recorded = await conditionally(documents, tableName, key, {
        UpdateExpression: recording.UpdateExpression,
        ConditionExpression: recording.condition,
        ExpressionAttributeNames: recording.names,
        ExpressionAttributeValues: recording.values,
      });
      return { write: 'updated' in recorded ? 'recorded' : 'unchanged', ...clientOf(current) };
    },
  };
}

/**
 * The business's suppressions on its client items: a conditional UpdateItem that writes only while
 * the client still has the suppressed address, and bumps the version, so a business editing the
 * card from an older version gets 412 rather than overwriting it.
 */
export function dynamoClientSuppressions(documents: DynamoDBDocumentClient, tableName: string): ClientSuppressions {
  return {
    async suppressEmail(tenantId: string, clientId: string, suppression: EmailSuppression, at: string) {
      const written = await conditionally(documents, tableName, recordKey(tenantId, clientKind, clientId), {
        UpdateExpression: 'SET #suppressions = :suppressions, updatedAt = :at ADD version :one',
        ConditionExpression: 'attribute_exists(pk) AND email = :address AND attribute_not_exists(#suppressions.email)',
        ExpressionAttributeNames: { '#suppressions': 'suppressions' },
        // Email is the only channel suppressed, so the whole map is this one entry.
        ExpressionAttributeValues: { ':suppressions': { email: suppression }, ':at': at, ':one': 1, ':address': suppression.address },
      });
      return 'updated' in written ? 'settled' : 'unchanged';
    },
  };
}
