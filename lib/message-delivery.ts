import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { ConfigurationSet, SuppressionReasons } from 'aws-cdk-lib/aws-ses';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EmailEvents } from './email-events.ts';
import { SmsDeliveryStatus } from './sms-delivery-status.ts';
import { MessagesFunction } from './messages-function.ts';
import { deadLetterQueue, secureQueue } from './queues.ts';
import { grantTenantSending, sesTenantArns, sesTenantPrefixOf, type SesTenantArns } from './ses-tenant-grants.ts';
import type { RecordsTable } from './records-table.ts';
import type { MessageSchedules } from './message-schedules.ts';

export const DELIVERY_TIMEOUT = Duration.seconds(30);
export const DELIVERY_MEMORY_MB = 512;

/** How the delivery queue invokes the delivery function. */
export const DELIVERY_QUEUE_SOURCE = {
  batchSize: 10,
  maxBatchingWindow: Duration.seconds(1),
  /** At most this many concurrent deliveries: keeps within SES and SNS send rates. */
  maxConcurrency: 10,
} as const;

/** Receives of one message before it moves to the dead-letter queue. */
export const DELIVERY_MAX_RECEIVES = 5;

/**
 * AWS's guidance for a queue feeding Lambda: at least six times the function timeout, plus the
 * batching window, so a message is not redelivered while a throttled or retried batch still holds it.
 */
export const DELIVERY_VISIBILITY_TIMEOUT = Duration.seconds(
  6 * DELIVERY_TIMEOUT.toSeconds() + DELIVERY_QUEUE_SOURCE.maxBatchingWindow.toSeconds(),
);

const EMAIL = /^[^@\s]+@([^@\s]+\.[^@\s]+)$/;
/** SNS SMS sender IDs: 1 to 11 letters, digits or hyphens, with at least one letter. */
const SMS_SENDER_ID = /^(?=.*[A-Za-z])[A-Za-z0-9-]{1,11}$/;

export interface MessageDeliveryProps {
  /** Absolute path of the module exporting the SQS `handler`. */
  readonly entry: string;
  /** Absolute path of the module exporting the `handler` of SES's email events. */
  readonly emailEventsEntry: string;
  readonly records: RecordsTable;
  /** The From address of client emails; it (or its domain) must be a verified SES identity. */
  readonly senderEmail: string;
  /** Alphanumeric sender ID for SMS where the destination country supports one. @default none */
  readonly smsSenderId?: string;
}

/**
 * Message delivery: one queue for every message that is due (from the evaluator now, from
 * schedules later), a function that re-checks, renders and sends each through SES v2 (email) or
 * SNS (SMS) and records it, the SES configuration set every email is sent with, and that set's
 * events, which settle messages from SES's own record of them.
 */
export class MessageDelivery extends Construct {
  readonly queue: Queue;
  readonly deadLetters: Queue;
  readonly configurationSet: ConfigurationSet;
  readonly emailEvents: EmailEvents;
  readonly smsDeliveryStatus: SmsDeliveryStatus;
  readonly fn: MessagesFunction;
  /** The SES identities the function may send as: the sender address and its domain. */
  readonly senderIdentityArns: readonly string[];
  readonly configurationSetArn: string;
  /** The platform's From address. */
  readonly senderEmail: string;
  /** The businesses' SES tenants: named `<prefix>-…`, sent as by this function, managed by the settings area. */
  readonly sesTenants: { readonly prefix: string; readonly arns: SesTenantArns };

  constructor(scope: Construct, id: string, props: MessageDeliveryProps) {
    super(scope, id);
    const stack = Stack.of(this);

    const domain = EMAIL.exec(props.senderEmail)?.[1];
    if (domain === undefined) throw new Error(`MessageDelivery: sender email "${props.senderEmail}" is not an email address`);
    if (props.smsSenderId !== undefined && !SMS_SENDER_ID.test(props.smsSenderId)) {
      throw new Error(`MessageDelivery: SMS sender ID "${props.smsSenderId}" must be 1-11 letters, digits or hyphens with a letter`);
    }

    this.deadLetters = deadLetterQueue(this, 'DeadLetters');
    this.queue = secureQueue(this, 'Queue', {
      visibilityTimeout: DELIVERY_VISIBILITY_TIMEOUT,
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: DELIVERY_MAX_RECEIVES },
    });

    // Reputation metrics (bounce and complaint rates) in CloudWatch; the configuration set also
    // keeps bounced and complaining addresses from being mailed again.
    this.configurationSet = new ConfigurationSet(this, 'Email', {
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    this.emailEvents = new EmailEvents(this, 'EmailEvents', { entry: props.emailEventsEntry, records: props.records, configurationSet: this.configurationSet });
    this.smsDeliveryStatus = new SmsDeliveryStatus(this, 'SmsDeliveryStatus');

    const sesArn = (resource: string, resourceName: string): string =>
      stack.formatArn({ service: 'ses', resource, resourceName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
    this.senderIdentityArns = [sesArn('identity', props.senderEmail), sesArn('identity', domain)];
    this.configurationSetArn = sesArn('configuration-set', this.configurationSet.configurationSetName);
    this.senderEmail = props.senderEmail;
    const prefix = sesTenantPrefixOf(stack.stackName);
    this.sesTenants = { prefix, arns: sesTenantArns(prefix, this.configurationSetArn) };

    this.fn = new MessagesFunction(this, 'Handler', {
      entry: props.entry,
      description: 'Message delivery: delivery queue -> checks, consent, template -> SES email or SNS SMS',
      tableName: props.records.table.tableName,
      environment: {
        SENDER_EMAIL: props.senderEmail,
        SES_CONFIGURATION_SET: this.configurationSet.configurationSetName,
        // The handler treats this receive as the last one: it must match the redrive policy.
        MAX_RECEIVE_COUNT: String(DELIVERY_MAX_RECEIVES),
        ...(props.smsSenderId === undefined ? {} : { SMS_SENDER_ID: props.smsSenderId }),
      },
      timeout: DELIVERY_TIMEOUT,
      memorySize: DELIVERY_MEMORY_MB,
      anyResourceGrants: [
        {
          actions: ['sns:Publish'],
          why:
            'SMS is published straight to a phone number, which has no ARN and no IAM condition key, so Allow needs ' +
            'Resource "*"; a Deny of sns:Publish on arn:<partition>:sns:*:*:* removes every topic and platform ' +
            'endpoint, leaving phone numbers only',
        },
      ],
    });

    props.records.grantItemReadWrite(this.fn);
    const principal = this.fn.grantPrincipal;
    principal.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['ses:SendEmail'],
        resources: [...this.senderIdentityArns, this.configurationSetArn],
      }),
    );
    grantTenantSending(this.fn, this.sesTenants.arns, prefix);
    principal.addToPrincipalPolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ['sns:Publish'], resources: ['*'] }));
    principal.addToPrincipalPolicy(
      new PolicyStatement({ effect: Effect.DENY, actions: ['sns:Publish'], resources: [`arn:${stack.partition}:sns:*:*:*`] }),
    );

    this.fn.function.addEventSource(
      new SqsEventSource(this.queue, { ...DELIVERY_QUEUE_SOURCE, reportBatchItemFailures: true }),
    );
  }

  /**
   * Delivery re-arms a timed message that fires outside business hours (after an edit of the hours
   * its re-arming has not reached yet) for the next opening: create and update only, never delete.
   */
  armsSchedulesOf(schedules: MessageSchedules): void {
    for (const [name, value] of Object.entries(schedules.environment)) this.fn.function.addEnvironment(name, value);
    schedules.grantManageSchedules(this.fn, ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule']);
    Validations.of(this.fn.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${schedules.group.scheduleGroupName}/*]`,
      reason:
        'Delivery re-arms the one-time schedule of a timed message (named at runtime) that fired outside business hours, ' +
        'so the resource is every schedule of the stack\'s own schedule group; iam:PassRole is limited to the schedules\' ' +
        'execution role, passed to scheduler.amazonaws.com only.',
    });
  }
}
