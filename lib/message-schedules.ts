import { Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Effect, PolicyStatement, Role, ServicePrincipal, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { createHash } from 'node:crypto';
import { serviceDeadLetterQueue } from './queues.ts';

export const SCHEDULER_SERVICE = 'scheduler.amazonaws.com';

/** What the evaluator may do with schedules of the group: exactly one-time schedules it arms and disarms. */
export const SCHEDULE_ACTIONS = ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule'] as const;

/**
 * Retry policy of every timed message's schedule. Schedules are created at runtime, so the
 * evaluator receives these as environment variables. A message that cannot reach the delivery
 * queue within an hour is too late to send; it goes to the scheduler dead-letter queue instead.
 */
export const SCHEDULE_RETRY = { maximumRetryAttempts: 10, maximumEventAge: Duration.hours(1) } as const;

const GROUP_SUFFIX = '-timed-messages';
const GROUP_NAME_MAX = 64;

/**
 * `<stack>-timed-messages`, or, for a stack name too long for the 64 characters Scheduler allows,
 * its prefix and a hash of the whole name, so distinct stacks still get distinct groups.
 */
export function scheduleGroupName(stackName: string): string {
  const name = `${stackName}${GROUP_SUFFIX}`;
  if (name.length <= GROUP_NAME_MAX) return name;
  const hash = createHash('sha256').update(stackName).digest('hex').slice(0, 8);
  return `${stackName.slice(0, GROUP_NAME_MAX - GROUP_SUFFIX.length - hash.length - 1)}-${hash}${GROUP_SUFFIX}`;
}

export interface MessageSchedulesProps {
  /** Where every schedule sends its delivery request: the delivery queue. */
  readonly deliveryQueue: IQueue;
}

/**
 * Timed messages: one-time EventBridge Scheduler schedules, created and deleted at runtime by the
 * rule evaluator, in one schedule group. Each fires once, puts its delivery request on the delivery
 * queue with the execution role, and deletes itself; what Scheduler cannot deliver after retrying
 * lands in the scheduler dead-letter queue.
 */
export class MessageSchedules extends Construct {
  readonly group: ScheduleGroup;
  /** The execution role every schedule of the group runs with. */
  readonly role: Role;
  readonly deadLetters: Queue;
  readonly deliveryQueue: IQueue;
  /** ARN pattern of every schedule in the group (names are chosen at runtime). */
  readonly scheduleArns: string;

  constructor(scope: Construct, id: string, props: MessageSchedulesProps) {
    super(scope, id);
    this.deliveryQueue = props.deliveryQueue;

    // Removed with the stack: schedules are derived from the records table (which is retained) and
    // re-armed from it, and a retained group would keep its fixed name from being created again.
    this.group = new ScheduleGroup(this, 'Group', {
      scheduleGroupName: scheduleGroupName(Stack.of(this).stackName),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Pseudo parameters rather than the stack's region and account: the ARN (and so the cdk-nag
    // finding the evaluator acknowledges) has the same form whether or not the stack has an env.
    this.scheduleArns = `arn:${Aws.PARTITION}:scheduler:${Aws.REGION}:${Aws.ACCOUNT_ID}:schedule/${this.group.scheduleGroupName}/*`;

    this.deadLetters = serviceDeadLetterQueue(this, 'DeadLetters', 'the DeadLetterConfig of the one-time EventBridge Scheduler schedules the rule evaluator creates at runtime');

    // Scheduler passes the schedule group's ARN as aws:SourceArn (never a schedule's), so the role
    // can be assumed only for schedules of this group in this account.
    this.role = new Role(this, 'ExecutionRole', {
      assumedBy: new ServicePrincipal(SCHEDULER_SERVICE, {
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID, 'aws:SourceArn': this.group.scheduleGroupArn },
        },
      }),
      description: `Execution role of the timed-message schedules in ${this.group.scheduleGroupName}`,
    });
    // The target, and the dead-letter queue Scheduler writes with this same role.
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['sqs:SendMessage'],
        resources: [props.deliveryQueue.queueArn, this.deadLetters.queueArn],
      }),
    );
  }

  /** What the scheduler adapter reads (eventBridgeSchedulerConfigFromEnv) to arm schedules of this group. */
  get environment(): Record<string, string> {
    return {
      SCHEDULE_GROUP: this.group.scheduleGroupName,
      SCHEDULE_TARGET_ARN: this.deliveryQueue.queueArn,
      SCHEDULER_ROLE_ARN: this.role.roleArn,
      SCHEDULE_DEAD_LETTER_ARN: this.deadLetters.queueArn,
      SCHEDULE_RETRY_ATTEMPTS: String(SCHEDULE_RETRY.maximumRetryAttempts),
      SCHEDULE_MAX_EVENT_AGE_SECONDS: String(SCHEDULE_RETRY.maximumEventAge.toSeconds()),
    };
  }

  /** Create, update and (unless `actions` says otherwise) delete schedules of this group, and hand them the execution role. */
  grantManageSchedules(grantee: IGrantable, actions: readonly (typeof SCHEDULE_ACTIONS)[number][] = SCHEDULE_ACTIONS): void {
    const principal = grantee.grantPrincipal;
    principal.addToPrincipalPolicy(
      new PolicyStatement({ effect: Effect.ALLOW, actions: [...actions], resources: [this.scheduleArns] }),
    );
    principal.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['iam:PassRole'],
        resources: [this.role.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': SCHEDULER_SERVICE } },
      }),
    );
  }
}
