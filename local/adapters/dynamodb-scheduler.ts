import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { MessageScheduler, ScheduledDelivery } from '#domain/messages/ports.ts';

export interface LocalScheduler extends MessageScheduler {
  /** Schedules whose time is `now` or earlier, oldest first. */
  due(now: Date): Promise<ScheduledDelivery[]>;
  /** Removes a fired schedule, unless it was re-armed (another time or body) meanwhile. */
  complete(schedule: ScheduledDelivery): Promise<void>;
  /** Every armed schedule, oldest first. */
  list(): Promise<ScheduledDelivery[]>;
}

interface ScheduleItem extends ScheduledDelivery {
  /** `at` as epoch milliseconds: ISO strings with different offsets or precision do not sort as text. */
  readonly atMillis: number;
}

const toSchedule = ({ name, at, body }: ScheduleItem): ScheduledDelivery => ({ name, at, body });
const byTime = (a: ScheduleItem, b: ScheduleItem): number => a.atMillis - b.atMillis || a.name.localeCompare(b.name);

/**
 * The scheduler port in local mode: one item per armed schedule in a DynamoDB Local table of its
 * own (partition key `name`), so schedules outlive a restart. The schedule runner
 * (`local/schedule-runner.ts`) fires the due ones onto the delivery queue and completes them, as
 * EventBridge Scheduler does with `ActionAfterCompletion: DELETE`.
 */
export function localScheduler(documents: DynamoDBDocumentClient, tableName: string): LocalScheduler {
  const scan = async (now?: Date): Promise<ScheduledDelivery[]> => {
    const items: ScheduleItem[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await documents.send(
        new ScanCommand({
          TableName: tableName,
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
          ...(now && {
            FilterExpression: '#atMillis <= :now',
            ExpressionAttributeNames: { '#atMillis': 'atMillis' },
            ExpressionAttributeValues: { ':now': now.getTime() },
          }),
        }),
      );
      items.push(...((page.Items ?? []) as ScheduleItem[]));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items.sort(byTime).map(toSchedule);
  };

  return {
    async arm(schedules) {
      for (const { name, at, body } of schedules) {
        const atMillis = Date.parse(at);
        if (Number.isNaN(atMillis)) throw new Error(`Schedule time is not an ISO instant: ${JSON.stringify(at)}`);
        await documents.send(new PutCommand({ TableName: tableName, Item: { name, at, body, atMillis } satisfies ScheduleItem }));
      }
    },
    async disarm(scheduleNames) {
      for (const name of scheduleNames) await documents.send(new DeleteCommand({ TableName: tableName, Key: { name } }));
    },
    due: (now) => scan(now),
    list: () => scan(),
    async complete({ name, at, body }) {
      try {
        await documents.send(
          new DeleteCommand({
            TableName: tableName,
            Key: { name },
            ConditionExpression: '#at = :at AND #body = :body',
            // AT is a DynamoDB reserved word.
            ExpressionAttributeNames: { '#at': 'at', '#body': 'body' },
            ExpressionAttributeValues: { ':at': at, ':body': body },
          }),
        );
      } catch (error) {
        // Re-armed or disarmed since it was read: the newer state stands.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },
  };
}
