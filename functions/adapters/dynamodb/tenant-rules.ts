import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TenantRules } from '#domain/messages/evaluate.ts';
import { automatedMessagesKind, automatedMessagesOf, ruleKind, type AutomatedMessagesInput, type CustomRule } from '#domain/messages/rules.ts';
import { correlationAttribute, keyAttributes, tenantPartition } from '#adapters/dynamodb/item-keys.ts';

/**
 * A tenant's custom rules (`rule#<id>`) and its settings page (`ruleSettings#current`) share the sort
 * key prefix `rule`, so one query reads everything the evaluator needs about the tenant.
 *
 * Unlike the store, this read does not parse with the registry: it runs for every tenant of every
 * stream batch, where parsing 50 rules with zod costs more CPU than evaluating the whole batch. Rules
 * and the page are only written parsed (the rules routes), and the page gets the store's defaults at
 * every depth (`automatedMessagesOf`).
 */
export async function loadTenantRules(documents: DynamoDBDocumentClient, tableName: string, tenantId: string): Promise<TenantRules> {
  const custom: CustomRule[] = [];
  let automated: AutomatedMessagesInput = automatedMessagesOf(undefined);
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': tenantPartition(tenantId), ':prefix': 'rule' },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      const record = { ...item };
      for (const attribute of [...keyAttributes, 'tenantId', correlationAttribute]) delete record[attribute];
      if (item.kind === ruleKind) custom.push(record as CustomRule);
      else if (item.kind === automatedMessagesKind) automated = automatedMessagesOf(record);
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return { custom, automated };
}
