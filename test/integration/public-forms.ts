import { QueryCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { localDynamoDbClient, type LocalApi } from './local-stack.ts';
import { sample, type ApiResponse, type Request } from './api-client.ts';
import { rearmKind } from '#domain/messages/rearm.ts';

/** Helpers for tests of the public widget endpoints: no token, the business named by its slug. */

/** Posts to `/public/{slug}{path}` as a browser would; a string body is sent as it is. */
export async function postPublic(api: LocalApi, slug: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
  const response = await fetch(`${api.baseUrl}/public/${slug}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/** Saves the tenant's settings with a public slug (and any other changes), whatever their version. */
export async function publishWidgets(request: Request, slug: string, changes: Record<string, unknown> = {}): Promise<void> {
  const current = await request('GET', '/settings');
  const saved = await request('PUT', '/settings', { ...sample.settings, ...changes, slug }, { 'if-match': `"${current.body.version}"` });
  if (saved.status !== 200) throw new Error(`saving settings failed: ${saved.status} ${JSON.stringify(saved.body)}`);
}

/**
 * Counts the items a tenant has in the table: records (clients, leads, bookings, inbound items…)
 * and its unique-value claims all live under its partition; outbound messages are left out, since
 * they arrive on their own time. Close it when done.
 */
export function tenantItemCounter(api: LocalApi) {
  const client = localDynamoDbClient();
  return {
    async count(tenantId: string): Promise<number> {
      let count = 0;
      let startKey: Record<string, AttributeValue> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: api.env.tableName,
            KeyConditionExpression: 'pk = :pk',
            // What the message path writes may land at any moment: an auto-reply to an earlier test's
            // upload, or the re-arming jobs of the business's settings when another file's evaluator
            // (the stream is the shared table's) reaches them.
            FilterExpression: 'NOT (kind = :message AND direction = :outbound) AND NOT (kind = :rearm)',
            ExpressionAttributeValues: { ':pk': { S: `T#${tenantId}` }, ':message': { S: 'message' }, ':outbound': { S: 'outbound' }, ':rearm': { S: rearmKind } },
            Select: 'COUNT',
            ExclusiveStartKey: startKey,
          }),
        );
        count += page.Count ?? 0;
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return count;
    },
    close: () => client.destroy(),
  };
}
