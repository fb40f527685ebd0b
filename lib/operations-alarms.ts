import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, MathExpression, Metric, Stats, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface OperationsAlarmsProps {
  /**
   * Subscribed to the alarm topic by email (the address must confirm the subscription). Without it
   * the topic has no subscriber: subscribe a pager or chat integration to it. @default none
   */
  readonly email?: string;
}

/** Thresholds of the alarms, in one place so the README's runbook and the tests read the same numbers. */
export const ALARM_THRESHOLDS = {
  /** API 5xx answers, percent of requests over 5 minutes, counted once there are at least `minRequests`. */
  api5xxPercent: 1,
  minRequests: 20,
  /** How far behind the table stream the evaluator may fall (IteratorAge, maximum). */
  iteratorAge: Duration.minutes(5),
  /** Age of the oldest message a work queue may hold. */
  oldestMessage: Duration.minutes(10),
  /** SES account reputation, as fractions: SES reviews an account at 5 % bounces and 0.1 % complaints. */
  bounceRate: 0.05,
  complaintRate: 0.001,
  /** SMS spend alarms at this share of the monthly limit; SNS stops sending SMS at the limit. */
  smsSpendShare: 0.8,
} as const;

/** AWS's default monthly SMS spending quota of an account, in USD, until a quota increase. */
export const DEFAULT_SMS_SPEND_LIMIT_USD = 1;

const fiveMinutes = Duration.minutes(5);

/**
 * The alarms an operator must act on, all to one SNS topic. Each alarm's description says what it
 * means and what to do (the README's runbook repeats them).
 */
export class OperationsAlarms extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: OperationsAlarmsProps = {}) {
    super(scope, id);
    if (props.email !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(props.email)) throw new Error(`OperationsAlarms: alarm email "${props.email}" is not an email address`);

    const stack = Stack.of(this);
    // A customer-managed key: CloudWatch cannot publish to a topic encrypted with the AWS managed
    // SNS key, because that key's policy cannot grant it.
    const key = new Key(this, 'TopicKey', {
      description: `Encrypts the alarm topic of ${stack.stackName}`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );
    const topic = new Topic(this, 'Topic', { displayName: `${stack.stackName} alarms`, masterKey: key, enforceSSL: true });
    // The TLS-only topic policy replaces SNS's default one, so CloudWatch must be allowed explicitly.
    topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
        },
      }),
    );
    if (props.email !== undefined) topic.addSubscription(new EmailSubscription(props.email));
    this.topic = topic;
    this.action = new SnsAction(topic);
  }

  private add(id: string, props: { metric: IMetric; threshold: number; description: string; evaluationPeriods?: number; datapointsToAlarm?: number }): Alarm {
    const alarm = new Alarm(this, id, {
      alarmDescription: props.description,
      metric: props.metric,
      threshold: props.threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: props.evaluationPeriods ?? 1,
      datapointsToAlarm: props.datapointsToAlarm ?? props.evaluationPeriods ?? 1,
      // No data is an idle system (no requests, an empty queue, no SMS this month), not a breach.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.push(alarm);
    return alarm;
  }

  /** Alarms as soon as `queue` holds a visible message (a dead-letter queue). */
  whenQueueHasMessages(id: string, queue: IQueue, description: string): Alarm {
    return this.add(id, {
      metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: Stats.MAXIMUM }),
      threshold: 1,
      description,
    });
  }

  /** Alarms when the oldest message of a work queue has waited longer than ALARM_THRESHOLDS.oldestMessage. */
  whenQueueFallsBehind(id: string, queue: IQueue, description: string): Alarm {
    return this.add(id, {
      metric: queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1), statistic: Stats.MAXIMUM }),
      threshold: ALARM_THRESHOLDS.oldestMessage.toSeconds(),
      evaluationPeriods: 5,
      description: `The oldest message of the ${description} has waited over ${ALARM_THRESHOLDS.oldestMessage.toHumanString()} for 5 minutes: its function is failing, throttled or too slow for the load. Look at the function's errors, throttles and logs; SES or SNS may be refusing sends (quota, sending paused).`,
    });
  }

  /** Errors (an invocation that threw or timed out) and throttles of one function. */
  watchFunction(id: string, fn: IFunction, what: string): void {
    this.add(`${id}Errors`, {
      metric: fn.metricErrors({ period: fiveMinutes, statistic: Stats.SUM }),
      threshold: 1,
      description: `${what} failed invocations (an uncaught error or a timeout) in the last 5 minutes. Open its log group, filter on level ERROR, and follow the correlationId of a failed request; a timeout shows as "Task timed out".`,
    });
    this.add(`${id}Throttles`, {
      metric: fn.metricThrottles({ period: fiveMinutes, statistic: Stats.SUM }),
      threshold: 1,
      description: `${what} was throttled in the last 5 minutes: the account's (or the function's) concurrency is exhausted. Check the account's concurrent executions and raise the Lambda concurrency quota, or find what floods it.`,
    });
  }

  /** How far the stream consumer is behind the table's stream. */
  watchStream(id: string, fn: IFunction): Alarm {
    return this.add(id, {
      metric: fn.metric('IteratorAge', { period: Duration.minutes(1), statistic: Stats.MAXIMUM }),
      threshold: ALARM_THRESHOLDS.iteratorAge.toMilliseconds(),
      evaluationPeriods: 5,
      description: `The rule evaluator is over ${ALARM_THRESHOLDS.iteratorAge.toHumanString()} behind the records table's stream for 5 minutes: confirmations go out late, and records older than 24 hours leave the stream unread. Look at the evaluator's errors and duration; a record that keeps failing is retried until it is an hour old, then goes to the stream-failures queue.`,
    });
  }

  /** The share of API requests answered 5xx. */
  watchApi(id: string, api: IHttpApi): Alarm {
    const errors = api.metricServerError({ period: fiveMinutes, statistic: Stats.SUM });
    const requests = api.metricCount({ period: fiveMinutes, statistic: Stats.SUM });
    return this.add(id, {
      metric: new MathExpression({
        expression: `IF(requests >= ${ALARM_THRESHOLDS.minRequests}, 100 * errors / requests, 0)`,
        usingMetrics: { errors, requests },
        period: fiveMinutes,
        label: 'API 5xx %',
      }),
      threshold: ALARM_THRESHOLDS.api5xxPercent,
      evaluationPeriods: 2,
      description: `Over ${ALARM_THRESHOLDS.api5xxPercent} % of API requests answered 5xx for 10 minutes. The API functions log each 500 as "request failed" with the request's correlationId; a 503 or 504 without such a log line is API Gateway or a timeout (see the function errors alarms).`,
    });
  }

  /** Requests the records table throttled (reads and writes, the table and its indexes). */
  watchTable(id: string, table: ITable): Alarm {
    const dimensionsMap = { TableName: table.tableName };
    const metric = (metricName: string) => new Metric({ namespace: 'AWS/DynamoDB', metricName, dimensionsMap, period: fiveMinutes, statistic: Stats.SUM });
    return this.add(id, {
      metric: new MathExpression({
        expression: 'reads + writes',
        usingMetrics: { reads: metric('ReadThrottleEvents'), writes: metric('WriteThrottleEvents') },
        period: fiveMinutes,
        label: 'DynamoDB throttle events',
      }),
      threshold: 1,
      description: 'The records table throttled requests in the last 5 minutes. On demand, that is one partition (one busy tenant) over 3,000 reads or 1,000 writes a second, or a sudden jump past twice the previous peak. The SDK retries; if it persists, find the hot tenant in the functions\' logs (tenantId) and spread its load.',
    });
  }

  /** SES account reputation: SES reviews, then pauses, an account whose rates stay high. */
  watchEmailReputation(id: string): void {
    const reputation = (metricName: string) => new Metric({ namespace: 'AWS/SES', metricName, period: Duration.hours(1), statistic: Stats.MAXIMUM });
    this.add(`${id}BounceRate`, {
      metric: reputation('Reputation.BounceRate'),
      threshold: ALARM_THRESHOLDS.bounceRate,
      description: `The account's SES bounce rate is ${ALARM_THRESHOLDS.bounceRate * 100} % or more: SES puts the account under review at 5 % and may pause sending at 10 %. Find the tenants whose client emails bounce (their messages end failed with reason "bounced") and have them fix their client addresses.`,
    });
    this.add(`${id}ComplaintRate`, {
      metric: reputation('Reputation.ComplaintRate'),
      threshold: ALARM_THRESHOLDS.complaintRate,
      description: `The account's SES complaint rate is ${ALARM_THRESHOLDS.complaintRate * 100} % or more: SES puts the account under review at 0.1 % and may pause sending at 0.5 %. Find which tenant's messages draw complaints and what they send.`,
    });
  }

  /** SMS spend this month against the account's SMS spending limit. */
  watchSmsSpend(id: string, limitUsd: number): Alarm {
    return this.add(id, {
      metric: new Metric({ namespace: 'AWS/SNS', metricName: 'SMSMonthToDateSpentUSD', period: fiveMinutes, statistic: Stats.MAXIMUM }),
      threshold: Number((limitUsd * ALARM_THRESHOLDS.smsSpendShare).toFixed(2)),
      description: `SMS spend this month has reached ${ALARM_THRESHOLDS.smsSpendShare * 100} % of the ${limitUsd} USD limit (context smsSpendLimitUsd); at the limit SNS refuses every SMS until the month ends. Raise the account's SMS spending quota (a support case), then set the new limit in SNS text messaging preferences and in smsSpendLimitUsd.`,
    });
  }
}
