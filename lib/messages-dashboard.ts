import { Duration, Stack } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { AlarmStatusWidget, Dashboard, GraphWidget, MathExpression, Metric, Stats, TextWidget, type Alarm, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, metricNames } from '#metrics';

export interface MessagesDashboardProps {
  readonly api: IHttpApi;
  readonly evaluator: IFunction;
  readonly delivery: IFunction;
  readonly deliveryQueue: IQueue;
  /** Dead-letter and failure queues, by what they hold. */
  readonly deadLetters: Readonly<Record<string, IQueue>>;
  readonly alarms: readonly Alarm[];
  /** The `service` dimension of the custom metrics (POWERTOOLS_SERVICE_NAME of the functions). */
  readonly service: string;
}

const period = Duration.minutes(5);

/**
 * One dashboard that follows the message flow from left to right, top to bottom: API requests,
 * the evaluator reading the table's stream, the delivery queue, deliveries by outcome and channel,
 * then what SES and SNS report, with every alarm's state on top.
 */
export class MessagesDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: MessagesDashboardProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const custom = (metricName: string, statistic: string = Stats.SUM): Metric =>
      new Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: { service: props.service }, period, statistic });
    // Metrics whose dimensions vary per message (channel, type, outcome, reason): one line per combination found.
    const search = (dimensions: string, label: string): IMetric =>
      new MathExpression({
        expression: `SEARCH('{${METRICS_NAMESPACE},service,${dimensions}} MetricName="${metricNames.messages}" service="${props.service}"', 'Sum', ${period.toSeconds()})`,
        label,
        period,
      });
    const graph = (title: string, left: IMetric[], right: IMetric[] = []) => new GraphWidget({ title, left, right, width: 8, height: 6 });

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${stack.stackName}-message-flow`,
      defaultInterval: Duration.hours(6),
    });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# ${stack.stackName}: message flow\nAPI → records table → stream → rule evaluator → delivery queue (now, or a one-time schedule) → delivery → SES / SNS. Follow one message in Logs Insights by its \`correlationId\` (README, "Follow one message").`,
        width: 24,
        height: 2,
      }),
      new AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: 24, height: 4 }),
    );
    this.dashboard.addWidgets(
      graph('API requests and errors', [props.api.metricCount({ period, statistic: Stats.SUM })], [props.api.metricClientError({ period, statistic: Stats.SUM }), props.api.metricServerError({ period, statistic: Stats.SUM })]),
      graph('API latency (p50, p99)', [props.api.metricLatency({ period, statistic: Stats.p(50) }), props.api.metricLatency({ period, statistic: Stats.p(99) })]),
      graph('Evaluator: lag behind the table (max, p99) and iterator age', [custom(metricNames.evaluatorLag, Stats.MAXIMUM), custom(metricNames.evaluatorLag, Stats.p(99))], [props.evaluator.metric('IteratorAge', { period, statistic: Stats.MAXIMUM })]),
    );
    this.dashboard.addWidgets(
      graph('Evaluator: messages queued now, schedules armed and disarmed', [custom(metricNames.dispatched), custom(metricNames.schedulesArmed), custom(metricNames.schedulesDisarmed)]),
      graph('Delivery queue: waiting and age of the oldest', [props.deliveryQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: Stats.MAXIMUM })], [props.deliveryQueue.metricApproximateAgeOfOldestMessage({ period, statistic: Stats.MAXIMUM })]),
      graph('Delivery attempts', [custom(metricNames.deliveryAttempts)]),
    );
    this.dashboard.addWidgets(
      graph('Messages by outcome and channel', [search('channel,messageType,outcome', 'by outcome')]),
      graph('Messages not sent or failed, by reason', [search('channel,messageType,outcome,reason', 'by reason')]),
      graph('Functions: errors and throttles', [props.evaluator.metricErrors({ period }), props.delivery.metricErrors({ period })], [props.evaluator.metricThrottles({ period }), props.delivery.metricThrottles({ period })]),
    );
    const ses = (metricName: string, statistic: string = Stats.SUM) => new Metric({ namespace: 'AWS/SES', metricName, period, statistic });
    this.dashboard.addWidgets(
      graph('SES: sent, delivered, bounced, complaints', [ses('Send'), ses('Delivery'), ses('Bounce'), ses('Complaint')]),
      graph('SES reputation (bounce and complaint rate)', [ses('Reputation.BounceRate', Stats.MAXIMUM), ses('Reputation.ComplaintRate', Stats.MAXIMUM)]),
      graph('SMS: sent, failed, spend this month (USD)', [
        new Metric({ namespace: 'AWS/SNS', metricName: 'NumberOfNotificationsDelivered', dimensionsMap: { SMSType: 'Transactional' }, period, statistic: Stats.SUM }),
        new Metric({ namespace: 'AWS/SNS', metricName: 'NumberOfNotificationsFailed', dimensionsMap: { SMSType: 'Transactional' }, period, statistic: Stats.SUM }),
      ], [new Metric({ namespace: 'AWS/SNS', metricName: 'SMSMonthToDateSpentUSD', period, statistic: Stats.MAXIMUM })]),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Dead-letter and failure queues',
        left: Object.entries(props.deadLetters).map(([label, queue]) => queue.metricApproximateNumberOfMessagesVisible({ period, statistic: Stats.MAXIMUM, label })),
        width: 24,
        height: 6,
      }),
    );
  }
}
