import { describe, it, expect } from 'vitest';
import { AwsSolutionsChecks } from 'cdk-nag';
import { apiAreas } from '#api/catalog.ts';
import { MessagesStack } from '#infra/messages-stack.ts';
import { SCHEDULE_RETRY, scheduleGroupName } from '#infra/message-schedules.ts';
import { appLikeCli, grantsOf, SKIP_BUNDLING, templateOf, type Grant } from './support.ts';

// Timed messages: the schedule group the evaluator arms one-time schedules in, the execution role
// those schedules put delivery requests on the delivery queue with, and the scheduler dead-letter
// queue. Bundling is skipped: the template's shape does not depend on the bundles.
const app = appLikeCli(SKIP_BUNDLING);
const stack = new MessagesStack(app, 'ClientMessages', { areas: apiAreas });
const { template, resources, ofType, idOf, arnOf } = templateOf(stack);
const json = (value: unknown): string => JSON.stringify(value);
const describeGrant = (g: Grant): string => `${g.effect} ${g.action} on ${json(g.resource)}`;

const { schedules, evaluator, delivery } = stack;
const groupId = idOf(schedules.group);
const roleId = idOf(schedules.role);
const deadLettersId = idOf(schedules.deadLetters);
const GROUP = 'ClientMessages-timed-messages';
const scheduleArns = {
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':scheduler:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:schedule/${GROUP}/*`]],
};
const roleGrants = grantsOf(resources, roleId);
const evaluatorGrants = grantsOf(resources, idOf(evaluator.fn.role));
const deliveryGrants = grantsOf(resources, idOf(delivery.fn.role));
const allGrants = grantsOf(resources);

describe('schedule group', () => {
  it('is one group named after the stack, removed with it', () => {
    const groups = ofType('AWS::Scheduler::ScheduleGroup');
    expect(groups.map(([id]) => id)).toEqual([groupId]);
    expect(groups[0]![1].Properties).toEqual({ Name: GROUP });
    expect(groups[0]![1].DeletionPolicy).toBe('Delete');
  });

  it('is a stack output', () => {
    template.hasOutput('ScheduleGroupName', { Value: GROUP });
  });

  it('keeps within 64 characters for any stack name, deterministically and distinctly', () => {
    expect(scheduleGroupName('ClientMessages')).toBe(GROUP);
    const long = `Client-${'x'.repeat(100)}`;
    const name = scheduleGroupName(long);
    expect(name.length).toBeLessThanOrEqual(64);
    expect(name).toMatch(/^Client-x+-[0-9a-f]{8}-timed-messages$/);
    expect(scheduleGroupName(long)).toBe(name);
    expect(scheduleGroupName(`${long}y`)).not.toBe(name);
    expect(scheduleGroupName('A'.repeat(49))).toHaveLength(64);
  });
});

describe('schedule execution role', () => {
  it('can be assumed only by EventBridge Scheduler, for schedules of this group in this account', () => {
    expect(resources[roleId]!.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: {
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' }, 'aws:SourceArn': { 'Fn::GetAtt': [groupId, 'Arn'] } },
        },
      },
    ]);
  });

  it('may only send messages to the delivery queue (the target) and the scheduler dead-letter queue', () => {
    expect(roleGrants.map(describeGrant).sort()).toEqual(
      [
        describeGrant({ policy: '', effect: 'Allow', action: 'sqs:SendMessage', resource: arnOf(delivery.queue) }),
        describeGrant({ policy: '', effect: 'Allow', action: 'sqs:SendMessage', resource: arnOf(schedules.deadLetters) }),
      ].sort(),
    );
    for (const g of roleGrants) expect(g.condition, describeGrant(g)).toBeUndefined();
    const role = resources[roleId]!.Properties;
    expect(role.ManagedPolicyArns).toBeUndefined();
    expect(role.Policies).toBeUndefined();
  });
});

describe('rule evaluator scheduling', () => {
  it('may create, update and delete schedules of its group only; delivery (re-arming at fire time) may create and update only', () => {
    const scheduler = allGrants.filter((g) => g.action.startsWith('scheduler:'));
    const ofEvaluator = scheduler.filter((g) => evaluatorGrants.some((e) => e.policy === g.policy));
    const ofDelivery = scheduler.filter((g) => deliveryGrants.some((e) => e.policy === g.policy));
    expect(ofEvaluator.length + ofDelivery.length).toBe(scheduler.length);
    expect(ofEvaluator.map((g) => `${g.effect} ${g.action}`).sort()).toEqual(
      ['Allow scheduler:CreateSchedule', 'Allow scheduler:DeleteSchedule', 'Allow scheduler:UpdateSchedule'],
    );
    expect(ofDelivery.map((g) => `${g.effect} ${g.action}`).sort()).toEqual(['Allow scheduler:CreateSchedule', 'Allow scheduler:UpdateSchedule']);
    for (const g of scheduler) {
      expect(g.resource, describeGrant(g)).toEqual(scheduleArns);
      expect(g.condition, describeGrant(g)).toBeUndefined();
    }
  });

  it('may pass only the execution role, and only to EventBridge Scheduler', () => {
    // The one other role passed in the stack: SNS's SMS delivery status logging role, by the
    // custom resource that sets it (SetSMSAttributes), never by a function.
    const smsLogging = allGrants.filter((g) => g.action === 'iam:PassRole' && json(g.resource) === json(arnOf(delivery.smsDeliveryStatus.role)));
    expect(smsLogging).toHaveLength(1);
    expect(deliveryGrants.concat(evaluatorGrants).some((g) => g.policy === smsLogging[0]!.policy)).toBe(false);
    const passRole = allGrants.filter((g) => g.action === 'iam:PassRole' && !smsLogging.includes(g));
    expect(passRole).toHaveLength(2);
    expect(passRole.filter((grant) => evaluatorGrants.some((g) => g.policy === grant.policy))).toHaveLength(1);
    expect(passRole.filter((grant) => deliveryGrants.some((g) => g.policy === grant.policy))).toHaveLength(1);
    for (const grant of passRole) {
      expect(grant).toMatchObject({
        effect: 'Allow',
        resource: { 'Fn::GetAtt': [roleId, 'Arn'] },
        condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      });
    }
  });

  it('gets the group, target, role, dead-letter queue and retry policy as environment variables', () => {
    const variables = resources[idOf(evaluator.fn.function)]!.Properties.Environment.Variables;
    expect(variables).toMatchObject({
      SCHEDULE_GROUP: GROUP,
      SCHEDULE_TARGET_ARN: arnOf(delivery.queue),
      SCHEDULER_ROLE_ARN: { 'Fn::GetAtt': [roleId, 'Arn'] },
      SCHEDULE_DEAD_LETTER_ARN: arnOf(schedules.deadLetters),
      SCHEDULE_RETRY_ATTEMPTS: String(SCHEDULE_RETRY.maximumRetryAttempts),
      SCHEDULE_MAX_EVENT_AGE_SECONDS: String(SCHEDULE_RETRY.maximumEventAge.toSeconds()),
    });
  });

  it('retries a schedule within Scheduler\'s limits: 10 attempts within an hour', () => {
    expect(SCHEDULE_RETRY.maximumRetryAttempts).toBe(10);
    expect(SCHEDULE_RETRY.maximumEventAge.toSeconds()).toBe(3600);
    // CreateSchedule accepts 0-185 attempts and 60-86400 seconds.
    expect(SCHEDULE_RETRY.maximumRetryAttempts).toBeLessThanOrEqual(185);
    expect(SCHEDULE_RETRY.maximumEventAge.toSeconds()).toBeGreaterThanOrEqual(60);
    expect(SCHEDULE_RETRY.maximumEventAge.toSeconds()).toBeLessThanOrEqual(86400);
  });

  it('adds no Resource "*" and no other wildcard: "*" stays X-Ray and ListStreams, the only pattern is the group\'s schedules', () => {
    for (const g of roleGrants) expect(json(g.resource), describeGrant(g)).not.toContain('*');
    const wildcards = evaluatorGrants.filter((g) => json(g.resource).includes('*'));
    for (const g of wildcards) {
      if (g.resource === '*') expect(['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'dynamodb:ListStreams'], describeGrant(g)).toContain(g.action);
      else expect(g.resource, describeGrant(g)).toEqual(scheduleArns);
    }
  });
});

describe('scheduler dead-letter queue', () => {
  const queue = resources[deadLettersId]!.Properties;

  it('is encrypted, keeps messages 14 days and feeds no other queue', () => {
    expect(queue.SqsManagedSseEnabled).toBe(true);
    expect(queue.MessageRetentionPeriod).toBe(14 * 24 * 3600);
    expect(queue.RedrivePolicy).toBeUndefined();
  });

  it('refuses requests that are not over TLS, and grants nothing else by policy', () => {
    const own = ofType('AWS::SQS::QueuePolicy').filter(([, p]) => json(p.Properties.Queues) === json([{ Ref: deadLettersId }]));
    const statements = own.flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Record<string, any>[]);
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatchObject({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
  });

  it('raises an alarm on its first message that says what to do', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm')
      .map(([, a]) => a.Properties)
      .filter((a) => json(a.Dimensions) === json([{ Name: 'QueueName', Value: { 'Fn::GetAtt': [deadLettersId, 'QueueName'] } }]));
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      TreatMissingData: 'notBreaching',
    });
    expect(alarms[0]!.AlarmDescription).toMatch(/scheduler dead-letter queue/);
    expect(alarms[0]!.AlarmDescription).toMatch(/10 retries within 1 hour/);
    expect(alarms[0]!.AlarmDescription).toMatch(/delivery queue/);
  });
});

describe('cdk-nag with a concrete account and region', () => {
  it('still matches the evaluator\'s acknowledgement of its schedule ARN pattern (built from pseudo parameters)', () => {
    const withEnv = appLikeCli(SKIP_BUNDLING);
    new MessagesStack(withEnv, 'ClientMessages', { areas: apiAreas, env: { account: '123456789012', region: 'eu-west-1' } });
    const findings = new AwsSolutionsChecks(withEnv)
      .validateScope(withEnv)
      .violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`));
    expect(findings).toEqual([]);
  });
});
