import { Duration, Validations } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { evaluatorFilterPatterns } from '#domain/messages/stream-filter.ts';
import type { MessageSchedules } from './message-schedules.ts';
import { MessagesFunction } from './messages-function.ts';
import { serviceDeadLetterQueue } from './queues.ts';
import type { RecordsTable } from './records-table.ts';

/** How the stream invokes the evaluator; exported so tests and docs state the same numbers. */
export const EVALUATOR_STREAM = {
  batchSize: 100,
  maxBatchingWindow: Duration.seconds(1),
  /** Finite: a poison record is retried (with bisection) this many times, then set aside. */
  retryAttempts: 5,
  /** Finite: a record this old is set aside rather than producing a message this late. */
  maxRecordAge: Duration.hours(1),
  /** Two concurrent batches per shard; Lambda keeps the order of records with the same partition key (one tenant). */
  parallelizationFactor: 2,
} as const;

export const EVALUATOR_TIMEOUT = Duration.seconds(60);
export const EVALUATOR_MEMORY_MB = 1024;

/**
 * The stream records the evaluator acts on: an inserted or modified item whose new image is of one
 * of the `evaluatedKinds` (records that can trigger a message, rules and rule settings that re-arm
 * timed messages, and re-arming jobs), and an inserted inbound conversation item (auto-replies).
 * Everything else (settings, unique-number claims, clients, outbound messages, deletions…) is
 * dropped by Lambda before any invocation, at no cost. The patterns are the ones the local stream
 * poller filters with, so both let the same records through.
 */
export function triggeringRecordFilters(): Record<string, unknown>[] {
  return evaluatorFilterPatterns.map((pattern) => FilterCriteria.filter(pattern));
}

export interface RuleEvaluatorProps {
  /** Absolute path of the module exporting the stream `handler`. */
  readonly entry: string;
  readonly records: RecordsTable;
  /** Where the evaluator sends each message that is due now. */
  readonly deliveryQueue: IQueue;
  /** Where it arms (and disarms) each message that is due later. */
  readonly schedules: MessageSchedules;
}

/**
 * The rule evaluator: the records table's stream invokes it with batches of changed records; it
 * turns them into domain events, matches the tenant's rules, queues the messages that are due now
 * and arms one-time schedules (in `MessageSchedules`) for those due later.
 * Batches that still fail after bisecting and retrying are described (shard and sequence numbers,
 * not the records) in the stream-failures queue, which raises an alarm; the records themselves stay
 * readable in the stream for 24 hours.
 */
export class RuleEvaluator extends Construct {
  readonly fn: MessagesFunction;
  /** On-failure destination of the stream event source. */
  readonly failures: Queue;
  readonly eventSource: DynamoEventSource;

  constructor(scope: Construct, id: string, props: RuleEvaluatorProps) {
    super(scope, id);
    const table = props.records.table;
    const { schedules } = props;

    this.failures = serviceDeadLetterQueue(this, 'StreamFailures', 'the on-failure destination of the DynamoDB stream event source mapping of the rule evaluator');

    this.fn = new MessagesFunction(this, 'Handler', {
      entry: props.entry,
      description: 'Rule evaluator: records table stream -> domain events -> rules -> delivery queue or schedules',
      tableName: table.tableName,
      environment: {
        DELIVERY_QUEUE_URL: props.deliveryQueue.queueUrl,
        ...schedules.environment,
      },
      timeout: EVALUATOR_TIMEOUT,
      memorySize: EVALUATOR_MEMORY_MB,
      anyResourceGrants: [
        {
          actions: ['dynamodb:ListStreams'],
          why:
            'added by the DynamoDB stream event source (Table.grantStreamRead); ListStreams supports no resource-level ' +
            'permissions, while DescribeStream, GetRecords and GetShardIterator name the stream ARN',
        },
      ],
    });

    // Reads rules, settings and records on the table itself; queries ByTime for a tenant's future
    // records when re-arming timed messages, and ByClient for the re-engagements a new booking
    // disarms; puts the re-arming job items that carry that work on in bounded batches, and the
    // `scheduled` messages it arms (updated to `cancelled` when disarmed). No delete, other index or Scan.
    props.records.grantItemRead(this.fn);
    props.records.grantIndexQuery(this.fn, 'ByTime');
    props.records.grantIndexQuery(this.fn, 'ByClient');
    props.records.grantItemPut(this.fn);
    props.records.grantItemUpdate(this.fn);
    schedules.grantManageSchedules(this.fn);
    Validations.of(this.fn.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${schedules.group.scheduleGroupName}/*]`,
      reason:
        'The evaluator creates, updates and deletes one-time schedules named at runtime (one per timed message), so ' +
        'the resource is every schedule of the stack\'s own schedule group; it cannot name another group, and ' +
        'iam:PassRole is limited to the schedules\' execution role, passed to scheduler.amazonaws.com only.',
    });
    this.fn.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ effect: Effect.ALLOW, actions: ['sqs:SendMessage'], resources: [props.deliveryQueue.queueArn] }),
    );

    // TRIM_HORIZON rather than LATEST: when the mapping is first created (or re-created) it starts
    // from the oldest record still in the stream, so changes made before it was in place are not
    // silently skipped ("nothing lost"). Replays are harmless because delivery is idempotent, and
    // maxRecordAge sets aside anything older than an hour instead of sending it late.
    this.eventSource = new DynamoEventSource(table, {
      startingPosition: StartingPosition.TRIM_HORIZON,
      ...EVALUATOR_STREAM,
      bisectBatchOnError: true,
      reportBatchItemFailures: true,
      onFailure: new SqsDlq(this.failures),
      filters: triggeringRecordFilters(),
    });
    this.fn.function.addEventSource(this.eventSource);
  }
}
