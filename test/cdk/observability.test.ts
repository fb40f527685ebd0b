import { describe, it, expect } from 'vitest';
import { apiAreas } from '#api/catalog.ts';
import { MessagesStack } from '#infra/messages-stack.ts';
import { ALARM_THRESHOLDS } from '#infra/operations-alarms.ts';
import { MessagesFunction } from '#infra/messages-function.ts';
import { METRICS_NAMESPACE, metricNames } from '#metrics';
import { appLikeCli, SKIP_BUNDLING, templateOf } from './support.ts';

// Alarms, their topic and the dashboard of one stack, with an SMS spend limit and an alarm email.
const app = appLikeCli({ ...SKIP_BUNDLING, alarmEmail: 'ops@salon.example' });
const stack = new MessagesStack(app, 'ClientMessages-staging', { areas: apiAreas, smsSpendLimitUsd: 50, stage: 'staging' });
const { template, resources, ofType, idOf } = templateOf(stack);
const alarms = ofType('AWS::CloudWatch::Alarm').map(([id, a]) => ({ id, ...a.Properties }) as Record<string, any>);
const topicId = idOf(stack.alarms.topic);
const json = (value: unknown) => JSON.stringify(value);

describe('alarms', () => {
  it('all notify the one alarm topic, on alarm and back to OK, with what to do in the description', () => {
    expect(ofType('AWS::SNS::Topic')).toHaveLength(1);
    for (const alarm of alarms) {
      expect(alarm.AlarmActions, alarm.id).toEqual([{ Ref: topicId }]);
      expect(alarm.OKActions, alarm.id).toEqual([{ Ref: topicId }]);
      expect(alarm.AlarmDescription.length, alarm.id).toBeGreaterThan(80);
      expect(alarm.TreatMissingData, alarm.id).toBe('notBreaching');
    }
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@salon.example', TopicArn: { Ref: topicId } });
  });

  it('watch errors and throttles of every function of the stack', () => {
    const functions = stack.node.findAll().filter((c): c is MessagesFunction => c instanceof MessagesFunction);
    // One per API area, the evaluator, delivery, the email-events handler and the import worker.
    const expected = [...apiAreas.map(({ area }) => stack.functions.get(area)!), stack.evaluator.fn, stack.delivery.fn, stack.delivery.emailEvents.fn, stack.imports.fn];
    expect(functions.map((fn) => fn.node.path).sort()).toEqual(expected.map((fn) => fn.node.path).sort());
    for (const fn of functions) {
      const fnRef = json([{ Name: 'FunctionName', Value: { Ref: idOf(fn.function) } }]);
      for (const metric of ['Errors', 'Throttles']) {
        const alarm = alarms.find((a) => a.Namespace === 'AWS/Lambda' && a.MetricName === metric && json(a.Dimensions) === fnRef);
        expect(alarm, `${metric} of ${fn.node.path}`).toMatchObject({ Statistic: 'Sum', Period: 300, Threshold: 1 });
      }
    }
  });

  it('watch how far the evaluator is behind the table stream', () => {
    const alarm = alarms.find((a) => a.MetricName === 'IteratorAge');
    expect(alarm).toMatchObject({
      Namespace: 'AWS/Lambda',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: idOf(stack.evaluator.fn.function) } }],
      Statistic: 'Maximum',
      Threshold: ALARM_THRESHOLDS.iteratorAge.toMilliseconds(),
      EvaluationPeriods: 5,
    });
  });

  it('watch the API 5xx rate once there are enough requests', () => {
    const alarm = alarms.find((a) => a.Metrics?.some((m: any) => m.Expression?.includes('100 * errors / requests')));
    expect(alarm).toMatchObject({ Threshold: ALARM_THRESHOLDS.api5xxPercent, EvaluationPeriods: 2 });
    const stats = alarm!.Metrics.filter((m: any) => m.MetricStat).map((m: any) => [m.Id, m.MetricStat.Metric.MetricName, m.MetricStat.Metric.Dimensions]);
    expect(stats).toEqual([
      ['errors', '5xx', [{ Name: 'ApiId', Value: { Ref: idOf(stack.httpApi.api) } }]],
      ['requests', 'Count', [{ Name: 'ApiId', Value: { Ref: idOf(stack.httpApi.api) } }]],
    ]);
    expect(alarm!.Metrics.find((m: any) => m.Expression).Expression).toBe(`IF(requests >= ${ALARM_THRESHOLDS.minRequests}, 100 * errors / requests, 0)`);
  });

  it('watch DynamoDB read and write throttles of the records table', () => {
    const alarm = alarms.find((a) => a.Metrics?.some((m: any) => m.Expression === 'reads + writes'));
    const names = alarm!.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Metric);
    expect(names).toEqual([
      { Namespace: 'AWS/DynamoDB', MetricName: 'ReadThrottleEvents', Dimensions: [{ Name: 'TableName', Value: { Ref: idOf(stack.records.table) } }] },
      { Namespace: 'AWS/DynamoDB', MetricName: 'WriteThrottleEvents', Dimensions: [{ Name: 'TableName', Value: { Ref: idOf(stack.records.table) } }] },
    ]);
    expect(alarm!.Threshold).toBe(1);
  });

  it('watch the age of the oldest message in the delivery queue, and the depth of every dead-letter queue', () => {
    const queueDimension = (queue: Parameters<typeof idOf>[0]) => json([{ Name: 'QueueName', Value: { 'Fn::GetAtt': [idOf(queue), 'QueueName'] } }]);
    expect(alarms.find((a) => a.MetricName === 'ApproximateAgeOfOldestMessage' && json(a.Dimensions) === queueDimension(stack.delivery.queue))).toMatchObject({
      Statistic: 'Maximum',
      Threshold: ALARM_THRESHOLDS.oldestMessage.toSeconds(),
    });
    for (const queue of [stack.delivery.deadLetters, stack.delivery.emailEvents.deadLetters, stack.evaluator.failures, stack.schedules.deadLetters]) {
      expect(alarms.find((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible' && json(a.Dimensions) === queueDimension(queue)), queue.node.path).toMatchObject({ Threshold: 1 });
    }
  });

  it('watch the SES account bounce and complaint rates at the levels SES reviews an account', () => {
    expect(alarms.find((a) => a.MetricName === 'Reputation.BounceRate')).toMatchObject({ Namespace: 'AWS/SES', Threshold: 0.05, Statistic: 'Maximum' });
    expect(alarms.find((a) => a.MetricName === 'Reputation.ComplaintRate')).toMatchObject({ Namespace: 'AWS/SES', Threshold: 0.001, Statistic: 'Maximum' });
  });

  it('watch SMS spend against its limit (80 % of smsSpendLimitUsd)', () => {
    const alarm = alarms.find((a) => a.MetricName === 'SMSMonthToDateSpentUSD');
    expect(alarm).toMatchObject({ Namespace: 'AWS/SNS', Threshold: 40, Statistic: 'Maximum' });
    expect(alarm!.AlarmDescription).toMatch(/50 USD/);
  });
});

describe('dashboard', () => {
  const dashboards = ofType('AWS::CloudWatch::Dashboard');
  const body = json(dashboards[0]?.[1].Properties.DashboardBody);

  it('is one dashboard, named after the stack', () => {
    expect(dashboards).toHaveLength(1);
    expect(dashboards[0]![1].Properties.DashboardName).toBe('ClientMessages-staging-message-flow');
  });

  it('follows the message flow: API, evaluator lag, queue, deliveries by outcome and reason, SES and SMS', () => {
    for (const expected of ['AWS/ApiGateway', 'IteratorAge', 'ApproximateAgeOfOldestMessage', 'Reputation.BounceRate', 'SMSMonthToDateSpentUSD']) expect(body, expected).toContain(expected);
    for (const name of [metricNames.evaluatorLag, metricNames.dispatched, metricNames.schedulesArmed, metricNames.schedulesDisarmed, metricNames.deliveryAttempts]) {
      expect(body, name).toContain(`[\\"${METRICS_NAMESPACE}\\",\\"${name}\\",\\"service\\",\\"ClientMessages-staging\\"`);
    }
    expect(body).toContain(`SEARCH('{${METRICS_NAMESPACE},service,channel,messageType,outcome} MetricName=\\\\\\"${metricNames.messages}\\\\\\" service=\\\\\\"ClientMessages-staging\\\\\\"'`);
    expect(body).toContain(`{${METRICS_NAMESPACE},service,channel,messageType,outcome,reason}`);
  });

  it('shows the state of every alarm', () => {
    for (const { id } of alarms) expect(body, id).toContain(json({ 'Fn::GetAtt': [id, 'Arn'] }));
  });
});

describe('function environment', () => {
  it('names the stack as the metrics service, so two stages\' metrics never mix', () => {
    const fn = resources[idOf(stack.delivery.fn.function)]!;
    expect(fn.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME).toBe('ClientMessages-staging');
  });
});
