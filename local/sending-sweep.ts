/**
 * Local mode's recovery at start: messages a killed run left `sending` are settled from the
 * provider's evidence (the SES emulator's store, the SMS outbox) once their lease has passed. Their
 * delivery requests come back from the queue and settle them too; this also settles the ones whose
 * last write DynamoDB Local lost in the kill although it had acknowledged it (the `sent` after the
 * provider took the message), which nothing would come back for. A message the provider never took
 * is left to its request in the queue. Local only: on AWS the redelivered request does this, and no
 * request path scans.
 */
import { paginateScan, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { storedMessage } from '#adapters/dynamodb/message-log.ts';
import { MessageBusy, settleFromEvidence, type DeliveryDeps } from '#domain/messages/deliver.ts';
import { messageKind } from '#domain/messages/conversation.ts';

export interface SweepResult {
  readonly sent: number;
  readonly unknown: number;
  /** Not taken by the provider, or still leased: left to their requests in the queue. */
  readonly left: number;
}

export async function settleLeftSending(documents: DynamoDBDocumentClient, tableName: string, deps: DeliveryDeps): Promise<SweepResult> {
  const result = { sent: 0, unknown: 0, left: 0 };
  const pages = paginateScan(
    { client: documents },
    {
      TableName: tableName,
      FilterExpression: 'kind = :message AND #status = :sending',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':message': messageKind, ':sending': 'sending' },
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      const held = storedMessage(item);
      if (Date.parse(held.leaseUntil ?? '') > deps.now().getTime()) {
        result.left++;
        continue;
      }
      try {
        const settled = await settleFromEvidence(String(item.tenantId), held, deps);
        if (settled === 'not_taken') result.left++;
        else result[settled]++;
      } catch (error) {
        if (!(error instanceof MessageBusy)) throw error;
        result.left++;
      }
    }
  }
  return result;
}
