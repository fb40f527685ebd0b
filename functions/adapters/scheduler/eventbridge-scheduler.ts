import { createHash } from 'node:crypto';
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  UpdateScheduleCommand,
  type CreateScheduleInput,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import type { MessageScheduler, ScheduledDelivery } from '#domain/messages/ports.ts';

export interface EventBridgeSchedulerConfig {
  readonly groupName: string;
  /** The delivery queue's ARN: a fired schedule sends its body there. */
  readonly targetArn: string;
  /** The role Scheduler assumes to send to the queue. */
  readonly roleArn: string;
  /** Where Scheduler puts a body it could not send after its retries. */
  readonly deadLetterArn: string;
  readonly maximumRetryAttempts: number;
  readonly maximumEventAgeSeconds: number;
}

/** Scheduler API calls in flight at once, so a large batch does not run into its request rate. */
const maxInFlight = 10;

export function eventBridgeSchedulerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): EventBridgeSchedulerConfig {
  const text = (name: string): string => {
    const value = env[name];
    if (!value) throw new Error(`${name} is not set: the EventBridge scheduler needs it`);
    return value;
  };
  const count = (name: string): number => {
    const value = Number(text(name));
    if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got ${JSON.stringify(env[name])}`);
    return value;
  };
  return {
    groupName: text('SCHEDULE_GROUP'),
    targetArn: text('SCHEDULE_TARGET_ARN'),
    roleArn: text('SCHEDULER_ROLE_ARN'),
    deadLetterArn: text('SCHEDULE_DEAD_LETTER_ARN'),
    maximumRetryAttempts: count('SCHEDULE_RETRY_ATTEMPTS'),
    maximumEventAgeSeconds: count('SCHEDULE_MAX_EVENT_AGE_SECONDS'),
  };
}

/**
 * `at(yyyy-mm-ddThh:mm:ss)` in UTC. Scheduler takes whole seconds: a fraction rounds up, so a
 * schedule never fires before its instant.
 */
function atExpression(at: string): string {
  const millis = Date.parse(at);
  if (Number.isNaN(millis)) throw new Error(`Schedule time is not an ISO instant: ${JSON.stringify(at)}`);
  return `at(${new Date(Math.ceil(millis / 1000) * 1000).toISOString().slice(0, 19)})`;
}

/**
 * The same request always carries the same token, so a retried stream record repeats the call
 * instead of making another (64 hex characters: the most Scheduler accepts).
 */
function clientToken(...parts: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

async function eachLimited<T>(items: readonly T[], run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await run(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(maxInFlight, items.length) }, worker));
}

/**
 * The scheduler port on EventBridge Scheduler: one-time `at()` schedules that send their body to the
 * delivery queue and delete themselves once done. Errors other than "already exists" on create and
 * "already gone" on delete propagate, so the caller retries the whole stream record.
 */
export function eventBridgeScheduler(client: SchedulerClient, config: EventBridgeSchedulerConfig): MessageScheduler {
  const request = (schedule: ScheduledDelivery) =>
    ({
      Name: schedule.name,
      GroupName: config.groupName,
      ScheduleExpression: atExpression(schedule.at),
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: config.targetArn,
        RoleArn: config.roleArn,
        Input: schedule.body,
        RetryPolicy: { MaximumRetryAttempts: config.maximumRetryAttempts, MaximumEventAgeInSeconds: config.maximumEventAgeSeconds },
        DeadLetterConfig: { Arn: config.deadLetterArn },
      },
    }) satisfies CreateScheduleInput;

  return {
    arm: (schedules) =>
      eachLimited(schedules, async (schedule) => {
        const input = request(schedule);
        const { name, at, body } = schedule;
        try {
          await client.send(new CreateScheduleCommand({ ...input, ClientToken: clientToken('create', name, at, body) }));
        } catch (error) {
          if (!(error instanceof ConflictException)) throw error;
          // The name is taken (armed before): re-arming replaces it.
          await client.send(new UpdateScheduleCommand({ ...input, ClientToken: clientToken('update', name, at, body) }));
        }
      }),
    disarm: (names) =>
      eachLimited(names, async (name) => {
        try {
          await client.send(new DeleteScheduleCommand({ Name: name, GroupName: config.groupName, ClientToken: clientToken('delete', name) }));
        } catch (error) {
          if (!(error instanceof ResourceNotFoundException)) throw error;
        }
      }),
  };
}
