import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  ThrottlingException,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { eventBridgeScheduler, eventBridgeSchedulerConfigFromEnv, type EventBridgeSchedulerConfig } from '#adapters/scheduler/eventbridge-scheduler.ts';
import type { ScheduledDelivery } from '#domain/messages/ports.ts';

const client = mockClient(SchedulerClient);
beforeEach(() => client.reset());

const config: EventBridgeSchedulerConfig = {
  groupName: 'client-messages',
  targetArn: 'arn:aws:sqs:eu-west-1:123456789012:delivery',
  roleArn: 'arn:aws:iam::123456789012:role/scheduler',
  deadLetterArn: 'arn:aws:sqs:eu-west-1:123456789012:schedule-dlq',
  maximumRetryAttempts: 10,
  maximumEventAgeSeconds: 3600,
};
const scheduler = eventBridgeScheduler(new SchedulerClient({ region: 'eu-west-1' }), config);
/** Scheduler errors carry the response's `Message` besides Error's `message`. */
const failure = (message: string) => ({ message, Message: message, $metadata: {} });

/** Answers every call of the command after a pause, counting the most calls in flight at once. */
function concurrency(on: (fake: () => Promise<object>) => void, answer: object): { most: number } {
  const calls = { most: 0 };
  let inFlight = 0;
  on(async () => {
    calls.most = Math.max(calls.most, ++inFlight);
    await new Promise((resolve) => setTimeout(resolve, 5));
    inFlight--;
    return answer;
  });
  return calls;
}
const reminder = (changes: Partial<ScheduledDelivery> = {}): ScheduledDelivery => ({
  name: 'booking.B1.reminder.email',
  at: '2026-03-28T08:00:00.000Z',
  body: JSON.stringify({ tenantId: 'acme', entity: { kind: 'booking', id: 'B1', version: 3 } }),
  ...changes,
});

describe('eventBridgeScheduler arm', () => {
  it('creates a one-time UTC schedule that sends the body to the delivery queue and deletes itself', async () => {
    client.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    const schedule = reminder({ at: '2026-03-28T09:30:00+01:00' });
    await scheduler.arm([schedule]);

    const { ClientToken, ...input } = client.commandCalls(CreateScheduleCommand)[0]!.args[0].input;
    expect(input).toEqual({
      Name: schedule.name,
      GroupName: 'client-messages',
      ScheduleExpression: 'at(2026-03-28T08:30:00)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: config.targetArn,
        RoleArn: config.roleArn,
        Input: schedule.body,
        RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: config.deadLetterArn },
      },
    });
    expect(ClientToken).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rounds a fraction of a second up, so a schedule never fires before its time', async () => {
    client.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    await scheduler.arm([reminder({ at: '2026-12-31T23:59:59.001Z' })]);
    expect(client.commandCalls(CreateScheduleCommand)[0]!.args[0].input.ScheduleExpression).toBe('at(2027-01-01T00:00:00)');
  });

  it('refuses a time that is not an instant', async () => {
    await expect(scheduler.arm([reminder({ at: 'tomorrow' })])).rejects.toThrow('not an ISO instant');
    expect(client.calls()).toHaveLength(0);
  });

  it('replaces a schedule of the same name with an update carrying the same fields', async () => {
    client.on(CreateScheduleCommand).rejects(new ConflictException(failure('Schedule already exists')));
    client.on(UpdateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    await scheduler.arm([reminder()]);

    const { ClientToken: createToken, ...created } = client.commandCalls(CreateScheduleCommand)[0]!.args[0].input;
    const { ClientToken: updateToken, ...updated } = client.commandCalls(UpdateScheduleCommand)[0]!.args[0].input;
    expect(updated).toEqual(created);
    expect(updateToken).toMatch(/^[0-9a-f]{64}$/);
    expect(updateToken).not.toBe(createToken);
  });

  it('lets throttling and other errors through, for the caller to retry the record', async () => {
    client.on(CreateScheduleCommand).rejects(new ThrottlingException(failure('Rate exceeded')));
    await expect(scheduler.arm([reminder()])).rejects.toBeInstanceOf(ThrottlingException);

    client.reset();
    client.on(CreateScheduleCommand).rejects(new ConflictException(failure('exists')));
    client.on(UpdateScheduleCommand).rejects(new ThrottlingException(failure('Rate exceeded')));
    await expect(scheduler.arm([reminder()])).rejects.toBeInstanceOf(ThrottlingException);
  });

  it('sends the same client token for the same schedule, and another for another time or body', async () => {
    client.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    const other = eventBridgeScheduler(new SchedulerClient({ region: 'eu-west-1' }), config);
    await scheduler.arm([reminder()]);
    await other.arm([reminder()]);
    await scheduler.arm([reminder({ at: '2026-03-28T09:00:00.000Z' })]);
    await scheduler.arm([reminder({ body: '{"changed":true}' })]);

    const tokens = client.commandCalls(CreateScheduleCommand).map((call) => call.args[0].input.ClientToken);
    expect(tokens[0]).toBe(tokens[1]);
    expect(new Set(tokens).size).toBe(3);
  });

  it('runs at most ten calls at once and makes every one', async () => {
    const calls = concurrency((fake) => client.on(CreateScheduleCommand).callsFake(fake), { ScheduleArn: 'arn' });
    const schedules = Array.from({ length: 35 }, (_, index) => reminder({ name: `booking.B${index}.reminder.email` }));
    await scheduler.arm(schedules);

    expect(calls.most).toBe(10);
    expect(client.commandCalls(CreateScheduleCommand).map((call) => call.args[0].input.Name).sort()).toEqual(schedules.map((s) => s.name).sort());
  });
});

describe('eventBridgeScheduler disarm', () => {
  it('deletes each schedule from the group with a stable client token', async () => {
    client.on(DeleteScheduleCommand).resolves({});
    await scheduler.disarm(['a', 'b']);
    await scheduler.disarm(['a']);

    const inputs = client.commandCalls(DeleteScheduleCommand).map((call) => call.args[0].input);
    expect(inputs.map(({ Name, GroupName }) => ({ Name, GroupName }))).toEqual([
      { Name: 'a', GroupName: 'client-messages' },
      { Name: 'b', GroupName: 'client-messages' },
      { Name: 'a', GroupName: 'client-messages' },
    ]);
    expect(inputs[0]!.ClientToken).toMatch(/^[0-9a-f]{64}$/);
    expect(inputs[2]!.ClientToken).toBe(inputs[0]!.ClientToken);
    expect(inputs[1]!.ClientToken).not.toBe(inputs[0]!.ClientToken);
  });

  it('takes a schedule that is already gone as disarmed', async () => {
    client.on(DeleteScheduleCommand).rejects(new ResourceNotFoundException(failure('Schedule not found')));
    await expect(scheduler.disarm(['fired-already'])).resolves.toBeUndefined();
  });

  it('lets throttling through', async () => {
    client.on(DeleteScheduleCommand).rejects(new ThrottlingException(failure('Rate exceeded')));
    await expect(scheduler.disarm(['a'])).rejects.toBeInstanceOf(ThrottlingException);
  });

  it('runs at most ten deletes at once', async () => {
    const calls = concurrency((fake) => client.on(DeleteScheduleCommand).callsFake(fake), {});
    await scheduler.disarm(Array.from({ length: 25 }, (_, index) => `s${index}`));
    expect(calls.most).toBe(10);
    expect(client.commandCalls(DeleteScheduleCommand)).toHaveLength(25);
  });
});

describe('eventBridgeSchedulerConfigFromEnv', () => {
  const env = {
    SCHEDULE_GROUP: 'client-messages',
    SCHEDULE_TARGET_ARN: config.targetArn,
    SCHEDULER_ROLE_ARN: config.roleArn,
    SCHEDULE_DEAD_LETTER_ARN: config.deadLetterArn,
    SCHEDULE_RETRY_ATTEMPTS: '10',
    SCHEDULE_MAX_EVENT_AGE_SECONDS: '3600',
  };

  it('reads the group, ARNs and retry policy', () => {
    expect(eventBridgeSchedulerConfigFromEnv(env)).toEqual(config);
  });

  it('names what is missing or not a number', () => {
    expect(() => eventBridgeSchedulerConfigFromEnv({ ...env, SCHEDULER_ROLE_ARN: '' })).toThrow('SCHEDULER_ROLE_ARN is not set');
    expect(() => eventBridgeSchedulerConfigFromEnv({ ...env, SCHEDULE_RETRY_ATTEMPTS: 'ten' })).toThrow('SCHEDULE_RETRY_ATTEMPTS must be a whole number');
  });
});
