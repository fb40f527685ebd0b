import { describe, it, expect } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { evaluatedKinds, triggeringKinds } from '#domain/messages/message-types.ts';
import { apiAreas } from '#api/catalog.ts';
import { AREAS_DIR, DELIVERY_MODULE, EVALUATOR_MODULE, MessagesStack } from '#infra/messages-stack.ts';
import { DELIVERY_MAX_RECEIVES, DELIVERY_TIMEOUT } from '#infra/message-delivery.ts';
import { EMAIL_EVENTS_RETRY } from '#infra/email-events.ts';
import { XRAY_ACTIONS } from '#infra/messages-function.ts';
import { TABLE_READ_ACTIONS } from '#infra/records-table.ts';
import { evaluatorFilterPatterns } from '#domain/messages/stream-filter.ts';
import { appLikeCli, grantsOf, SKIP_BUNDLING, templateOf, type Grant } from './support.ts';

// The message path: table stream -> evaluator -> delivery queue -> delivery, with its queues,
// alarms, SES configuration set and its events, and IAM. One synth, with the deployment's optional context set
// and bundling skipped (the template's shape does not depend on the bundles; stack.test.ts and
// nag.test.ts synthesize with real bundles).
const SENDER = 'hello@salon.example';
const app = appLikeCli({ ...SKIP_BUNDLING, senderEmail: SENDER, smsSenderId: 'SalonLucia', alarmEmail: 'ops@salon.example' });
const stack = new MessagesStack(app, 'ClientMessages', { areas: apiAreas });
const { template, resources, ofType, idOf, arnOf } = templateOf(stack);

const tableId = idOf(stack.records.table);
const tableArn = { 'Fn::GetAtt': [tableId, 'Arn'] };
const streamArn = { 'Fn::GetAtt': [tableId, 'StreamArn'] };
const { evaluator, delivery, schedules } = stack;
const evaluatorFnId = idOf(evaluator.fn.function);
const deliveryFnId = idOf(delivery.fn.function);
const deliveryQueueId = idOf(delivery.queue);
const deadLettersId = idOf(delivery.deadLetters);
const failuresId = idOf(evaluator.failures);
const scheduleDeadLettersId = idOf(schedules.deadLetters);
const configSetId = idOf(delivery.configurationSet);
const { emailEvents } = delivery;
const emailEventsFnId = idOf(emailEvents.fn.function);
const emailEventDeadLettersId = idOf(emailEvents.deadLetters);
const importQueueId = idOf(stack.imports.queue);
const importDeadLettersId = idOf(stack.imports.deadLetters);
const mappingOf = (fnId: string): Record<string, any> => {
  const found = ofType('AWS::Lambda::EventSourceMapping').filter(([, r]) => JSON.stringify(r.Properties.FunctionName) === JSON.stringify({ Ref: fnId }));
  expect(found, `event source mappings of ${fnId}`).toHaveLength(1);
  return found[0]![1].Properties;
};
const fnProps = (fnId: string): Record<string, any> => resources[fnId]!.Properties;
const evaluatorGrants = grantsOf(resources, idOf(evaluator.fn.role));
const deliveryGrants = grantsOf(resources, idOf(delivery.fn.role));
const emailEventsGrants = grantsOf(resources, idOf(emailEvents.fn.role));
const allGrants = grantsOf(resources);
const describeGrant = (g: Grant): string => `${g.policy} ${g.effect} ${g.action} on ${JSON.stringify(g.resource)}`;

describe('rule evaluator', () => {
  const mapping = mappingOf(evaluatorFnId);

  it('reads the records table stream from the trim horizon, in batches of up to 100 within a second', () => {
    expect(mapping).toMatchObject({
      EventSourceArn: streamArn,
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 1,
      ParallelizationFactor: 2,
    });
  });

  it('reports partial failures, bisects failing batches, and gives up after 5 retries or an hour', () => {
    expect(mapping).toMatchObject({
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      MaximumRecordAgeInSeconds: 3600,
    });
  });

  it('sends what it gives up on to the stream-failures queue', () => {
    expect(mapping.DestinationConfig).toEqual({ OnFailure: { Destination: { 'Fn::GetAtt': [failuresId, 'Arn'] } } });
  });

  it('is invoked only for inserted or modified items of an evaluated kind (triggering records, rules, rule settings, re-arming jobs) and inserted inbound messages', () => {
    const filters = mapping.FilterCriteria.Filters as { Pattern: string }[];
    expect(filters.map((filter) => JSON.parse(filter.Pattern))).toEqual([
      { eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { kind: { S: [...evaluatedKinds] } } } },
      { eventName: ['INSERT'], dynamodb: { NewImage: { kind: { S: ['message'] }, direction: { S: ['inbound'] } } } },
    ]);
    for (const kind of [...triggeringKinds, 'rule', 'ruleSettings', 'rearm']) expect(filters[0]!.Pattern).toContain(`"${kind}"`);
  });

  it('uses the same filter as the local stream poller', () => {
    const filters = mapping.FilterCriteria.Filters as { Pattern: string }[];
    expect(filters.map((f) => JSON.parse(f.Pattern))).toEqual(evaluatorFilterPatterns);
  });

  it('gets the table name and the delivery queue URL, a 60 s timeout and 512-1024 MB', () => {
    const props = fnProps(evaluatorFnId);
    expect(props.Environment.Variables).toMatchObject({ TABLE_NAME: { Ref: tableId }, DELIVERY_QUEUE_URL: { Ref: deliveryQueueId } });
    expect(props.Timeout).toBe(60);
    expect(props.MemorySize).toBeGreaterThanOrEqual(512);
    expect(props.MemorySize).toBeLessThanOrEqual(1024);
  });
});

describe('delivery', () => {
  const mapping = mappingOf(deliveryFnId);

  it('consumes the delivery queue in batches of 10 with partial failures and bounded concurrency', () => {
    expect(mapping).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [deliveryQueueId, 'Arn'] },
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 10 },
    });
  });

  it('gets the sender, the configuration set, the SMS sender ID and the redrive limit, a 30 s timeout and 512-1024 MB', () => {
    const props = fnProps(deliveryFnId);
    expect(props.Environment.Variables).toMatchObject({
      TABLE_NAME: { Ref: tableId },
      SENDER_EMAIL: SENDER,
      SES_CONFIGURATION_SET: { Ref: configSetId },
      SMS_SENDER_ID: 'SalonLucia',
      MAX_RECEIVE_COUNT: String(DELIVERY_MAX_RECEIVES),
    });
    expect(props.Timeout).toBe(DELIVERY_TIMEOUT.toSeconds());
    expect(props.Timeout).toBe(30);
    expect(props.MemorySize).toBeGreaterThanOrEqual(512);
    expect(props.MemorySize).toBeLessThanOrEqual(1024);
  });

  it('sends email with an SES v2 configuration set that has reputation metrics and sending enabled', () => {
    expect(ofType('AWS::SES::ConfigurationSet')).toHaveLength(1);
    template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      ReputationOptions: { ReputationMetricsEnabled: true },
      SendingOptions: { SendingEnabled: true },
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
    });
  });
});

describe('email events', () => {
  const json = (value: unknown) => JSON.stringify(value);
  const defaultBusArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':event-bus/default']] };
  const [ruleId, rule] = ofType('AWS::Events::Rule').find(([id]) => id === idOf(emailEvents.rule))!;
  const deadLettersArn = { 'Fn::GetAtt': [emailEventDeadLettersId, 'Arn'] };

  it('are published by the configuration set to the default EventBridge bus: send, reject, delivery, bounce, complaint and delay', () => {
    expect(ofType('AWS::SES::ConfigurationSetEventDestination')).toHaveLength(1);
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: { Ref: configSetId },
      EventDestination: {
        Enabled: true,
        EventBridgeDestination: { EventBusArn: defaultBusArn },
        MatchingEventTypes: ['send', 'reject', 'delivery', 'bounce', 'complaint', 'deliveryDelay'],
      },
    });
  });

  it('reach the function through a rule on the default bus for those SES events of this configuration set only', () => {
    expect(rule.Properties.EventBusName).toBe('default');
    expect(rule.Properties.EventPattern).toEqual({
      source: ['aws.ses'],
      'detail-type': ['Email Sent', 'Email Rejected', 'Email Delivered', 'Email Bounced', 'Email Complaint Received', 'Email Delivery Delayed'],
      detail: { mail: { tags: { 'ses:configuration-set': [{ Ref: configSetId }] } } },
    });
  });

  it('that EventBridge cannot deliver go, after retrying for a day, to the email-events dead-letter queue, which only the rule may send to', () => {
    expect(rule.Properties.Targets).toEqual([
      {
        Id: expect.any(String),
        Arn: { 'Fn::GetAtt': [emailEventsFnId, 'Arn'] },
        DeadLetterConfig: { Arn: deadLettersArn },
        RetryPolicy: { MaximumRetryAttempts: EMAIL_EVENTS_RETRY.target.retryAttempts, MaximumEventAgeInSeconds: 24 * 3600 },
      },
    ]);
    const statements = ofType('AWS::SQS::QueuePolicy')
      .filter(([, p]) => json(p.Properties.Queues) === json([{ Ref: emailEventDeadLettersId }]))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Record<string, any>[])
      .filter((statement) => statement.Effect === 'Allow');
    expect(statements).toEqual([
      expect.objectContaining({ Action: 'sqs:SendMessage', Principal: { Service: 'events.amazonaws.com' }, Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [ruleId, 'Arn'] } } } }),
    ]);
  });

  it('that the function still fails on after two retries go to the same dead-letter queue', () => {
    expect(fnProps(emailEventsFnId).DeadLetterConfig).toEqual({ TargetArn: deadLettersArn });
    const [config] = ofType('AWS::Lambda::EventInvokeConfig').filter(([, c]) => json(c.Properties.FunctionName) === json({ Ref: emailEventsFnId }));
    expect(config![1].Properties.MaximumRetryAttempts).toBe(2);
  });

  it('may invoke the function only from the rule', () => {
    const permissions = ofType('AWS::Lambda::Permission').filter(([, p]) => json(p.Properties.FunctionName).includes(emailEventsFnId));
    expect(permissions.map(([, p]) => p.Properties)).toEqual([
      { Action: 'lambda:InvokeFunction', FunctionName: { 'Fn::GetAtt': [emailEventsFnId, 'Arn'] }, Principal: 'events.amazonaws.com', SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] } },
    ]);
  });

  it('let the function update table items and send to its dead-letter queue, nothing else but logs and X-Ray', () => {
    const granted = emailEventsGrants.filter((g) => !g.action.startsWith('logs:') && !g.action.startsWith('xray:'));
    expect(granted.map((g) => `${g.effect} ${g.action} ${json(g.resource)}`).sort()).toEqual(
      [`Allow dynamodb:UpdateItem ${json(tableArn)}`, `Allow sqs:SendMessage ${json(deadLettersArn)}`].sort(),
    );
  });

  it('raise an alarm that says what waits in the dead-letter queue and what to do with it', () => {
    const alarm = ofType('AWS::CloudWatch::Alarm')
      .map(([, a]) => a.Properties)
      .find((a) => json(a.Dimensions) === json([{ Name: 'QueueName', Value: { 'Fn::GetAtt': [emailEventDeadLettersId, 'QueueName'] } }]));
    expect(alarm!.AlarmDescription).toMatch(/email-events dead-letter queue/);
    expect(alarm!.AlarmDescription).toMatch(/20 retries within 1 day/);
    expect(alarm!.AlarmDescription).toMatch(/invoke the function with each event again/);
  });
});

describe('SMS delivery status logging', () => {
  const { smsDeliveryStatus } = delivery;
  const roleId = idOf(smsDeliveryStatus.role);
  const [, setting] = ofType('Custom::AWS').find(([id]) => id === idOf(smsDeliveryStatus.setting.node.defaultChild as never))!;

  it('is switched on for the account by SNS SetSMSAttributes, on create and on update: this stack\'s role, every success logged', () => {
    // The call is a JSON string joined around the role's ARN.
    const create = JSON.stringify(setting.Properties.Create).replaceAll('\\"', '"');
    expect(create).toContain('"service":"SNS"');
    expect(create).toContain('"action":"setSMSAttributes"');
    expect(create).toContain('"DeliveryStatusSuccessSamplingRate":"100"');
    expect(create).toContain('"DeliveryStatusIAMRole":"');
    expect(create).toContain(roleId);
    expect(setting.Properties.Update).toEqual(setting.Properties.Create);
  });

  it('has a role only SNS may assume, that may write only to SNS\'s DirectPublishToPhoneNumber log groups', () => {
    const role = resources[roleId]!.Properties;
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' } }]);
    const [statement] = role.Policies.flatMap((policy: { PolicyDocument: { Statement: unknown[] } }) => policy.PolicyDocument.Statement);
    expect(statement.Action).toEqual(['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:PutRetentionPolicy']);
    for (const resource of statement.Resource) expect(JSON.stringify(resource)).toContain('/DirectPublishToPhoneNumber*');
  });

  it('is set by a custom resource that may call only sns:SetSMSAttributes and pass only that role', () => {
    const policy = ofType('AWS::IAM::Policy').find(([, r]) => JSON.stringify(r.Properties.Roles).includes('AWS679f53fac002430cb0da5b7982bd2287'))![1].Properties.PolicyDocument.Statement;
    expect(policy).toEqual([
      { Action: 'sns:SetSMSAttributes', Effect: 'Allow', Resource: '*' },
      { Action: 'iam:PassRole', Effect: 'Allow', Resource: { 'Fn::GetAtt': [roleId, 'Arn'] } },
    ]);
  });
});

describe('queues', () => {
  const queues = ofType('AWS::SQS::Queue');
  const queue = (id: string) => resources[id]!.Properties;

  it('are the delivery queue, its dead-letter queue, the stream-failures queue, the scheduler and the email-events dead-letter queues, the import queue and its dead-letter queue', () => {
    expect(queues.map(([id]) => id).sort()).toEqual([deliveryQueueId, deadLettersId, failuresId, scheduleDeadLettersId, emailEventDeadLettersId, importQueueId, importDeadLettersId].sort());
  });

  it('are all encrypted at rest', () => {
    for (const [id, q] of queues) expect(q.Properties.SqsManagedSseEnabled ?? q.Properties.KmsMasterKeyId, id).toBeTruthy();
  });

  it('all refuse requests that are not over TLS', () => {
    const policies = ofType('AWS::SQS::QueuePolicy').map(([, p]) => p.Properties);
    for (const [id] of queues) {
      const own = policies.filter((p) => JSON.stringify(p.Queues) === JSON.stringify([{ Ref: id }]));
      const statements = own.flatMap((p) => p.PolicyDocument.Statement as Record<string, any>[]);
      expect(statements, id).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  it('move a message to the dead-letter queue after 5 receives, the limit the delivery function is told', () => {
    expect(queue(deliveryQueueId).RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [deadLettersId, 'Arn'] },
      maxReceiveCount: 5,
    });
    expect(fnProps(deliveryFnId).Environment.Variables.MAX_RECEIVE_COUNT).toBe('5');
  });

  it('hide a message being delivered for at least six times the delivery timeout', () => {
    expect(queue(deliveryQueueId).VisibilityTimeout).toBeGreaterThanOrEqual(6 * fnProps(deliveryFnId).Timeout);
  });

  it('keep dead letters and stream failures for 14 days, longer than the delivery queue keeps messages', () => {
    for (const id of [deadLettersId, failuresId, scheduleDeadLettersId, emailEventDeadLettersId, importDeadLettersId]) expect(queue(id).MessageRetentionPeriod, id).toBe(14 * 24 * 3600);
    expect(queue(deliveryQueueId).MessageRetentionPeriod ?? 4 * 24 * 3600).toBeLessThan(14 * 24 * 3600);
  });
});

describe('alarms', () => {
  const alarms = ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
  const [topicId] = ofType('AWS::SNS::Topic')[0]!;
  const alarmOn = (queueId: string) =>
    alarms.find((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible' && JSON.stringify(a.Dimensions) === JSON.stringify([{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }]));

  it('fire on the first message in the delivery dead-letter queue, the stream-failures queue, the scheduler, the email-events and the import dead-letter queues', () => {
    expect(alarms.filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible')).toHaveLength(5);
    for (const queueId of [deadLettersId, failuresId, scheduleDeadLettersId, emailEventDeadLettersId, importDeadLettersId]) {
      expect(alarmOn(queueId), queueId).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Threshold: 1,
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
      });
    }
  });

  it('email the alarmEmail address through an encrypted, TLS-only topic CloudWatch may publish to', () => {
    expect(ofType('AWS::SNS::Topic')).toHaveLength(1);
    for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([{ Ref: topicId }]);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@salon.example', TopicArn: { Ref: topicId } });
    const topic = resources[topicId]!.Properties;
    expect(topic.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
    const keyId = (topic.KmsMasterKeyId as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    expect(resources[keyId]!.Properties.EnableKeyRotation).toBe(true);
    const keyStatements = resources[keyId]!.Properties.KeyPolicy.Statement as Record<string, any>[];
    expect(keyStatements).toContainEqual(
      expect.objectContaining({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] }),
    );
    const topicStatements = ofType('AWS::SNS::TopicPolicy').flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Record<string, any>[]);
    expect(topicStatements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    expect(topicStatements).toContainEqual(
      expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Resource: { Ref: topicId } }),
    );
  });
});

describe('message path IAM', () => {
  const isWildcard = (g: Grant) => g.resource === '*';
  const json = (value: unknown) => JSON.stringify(value);

  it('lets delivery send email as the sender address or its domain, or as one of the deployment\'s SES tenants', () => {
    const ses = deliveryGrants.filter((g) => g.action.startsWith('ses:'));
    expect(new Set(ses.map((g) => g.action))).toEqual(new Set(['ses:SendEmail']));
    const platform = ses.filter((g) => g.condition === undefined);
    for (const g of ses) expect(g.effect).toBe('Allow');
    for (const g of platform) expect(json(g.resource), describeGrant(g)).not.toMatch(/\*/);
    const resourcesJson = platform.map((g) => json(g.resource));
    expect(resourcesJson.some((r) => r.includes(`:identity/${SENDER}`))).toBe(true);
    expect(resourcesJson.some((r) => r.includes(':identity/salon.example"'))).toBe(true);
    expect(resourcesJson.some((r) => r.includes(':configuration-set/') && r.includes(json({ Ref: configSetId })))).toBe(true);
    expect(platform).toHaveLength(3);
    // Any identity (a business's own domain), but only with one of this deployment's tenants named.
    const asTenant = ses.filter((g) => g.condition !== undefined);
    expect(asTenant.map((g) => g.condition)).toEqual(asTenant.map(() => ({ StringLike: { 'ses:TenantName': `${delivery.sesTenants.prefix}-*` } })));
    expect(asTenant.map((g) => json(g.resource).replace(/.*:(identity|tenant|configuration-set)\/([^"]*)".*/, '$1/$2')).sort()).toEqual(
      ['configuration-set/', 'identity/*', `tenant/${delivery.sesTenants.prefix}-*`].sort(),
    );
  });

  it('lets delivery publish SMS to phone numbers only: sns:Publish on "*" with every SNS ARN denied', () => {
    // sns:SetSMSAttributes is the SMS delivery status setting's, tested with it below.
    const sns = allGrants.filter((g) => g.action.startsWith('sns:') && g.action !== 'sns:SetSMSAttributes');
    expect(new Set(sns.map((g) => g.action))).toEqual(new Set(['sns:Publish']));
    expect(sns.every((g) => deliveryGrants.some((d) => d.policy === g.policy))).toBe(true);
    expect(sns.filter((g) => g.effect === 'Allow').map((g) => g.resource)).toEqual(['*']);
    const denied = sns.filter((g) => g.effect === 'Deny').map((g) => json(g.resource));
    expect(denied).toEqual([json({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sns:*:*:*']] })]);
  });

  it('uses Resource "*" only for X-Ray, the stream event source\'s ListStreams, SMS publishing, the SMS delivery status setting and creating tagged SES tenants', () => {
    const byAction = new Map<string, Set<string>>();
    for (const g of allGrants.filter(isWildcard)) byAction.set(g.action, (byAction.get(g.action) ?? new Set()).add(g.policy));
    for (const action of byAction.keys()) expect([...XRAY_ACTIONS, 'dynamodb:ListStreams', 'sns:Publish', 'sns:SetSMSAttributes', 'ses:CreateTenant'], action).toContain(action);
    expect(allGrants.filter((g) => isWildcard(g) && g.action === 'ses:CreateTenant').map((g) => g.condition)).toEqual([
      {
        StringEquals: { 'aws:RequestTag/client-messages:stack': delivery.sesTenants.prefix },
        'ForAllValues:StringEquals': { 'aws:TagKeys': ['client-messages:stack', 'client-messages:tenant'] },
      },
    ]);
    expect(evaluatorGrants.filter(isWildcard).map((g) => g.action).sort()).toEqual([...XRAY_ACTIONS, 'dynamodb:ListStreams'].sort());
    expect(deliveryGrants.filter(isWildcard).map((g) => g.action).sort()).toEqual([...XRAY_ACTIONS, 'sns:Publish'].sort());
    expect(emailEventsGrants.filter(isWildcard).map((g) => g.action).sort()).toEqual([...XRAY_ACTIONS].sort());
    expect(evaluator.fn.anyResourceActions).toEqual(expect.arrayContaining(['dynamodb:ListStreams']));
    expect(delivery.fn.anyResourceActions).toEqual(expect.arrayContaining(['sns:Publish']));
  });

  it('lets only the settings area manage SES tenants and identities, and only those tagged as this deployment\'s', () => {
    const settingsGrants = grantsOf(resources, idOf(stack.functions.get('settings')!.role));
    const managing = allGrants.filter((g) => g.action.startsWith('ses:') && g.action !== 'ses:SendEmail');
    expect(managing.every((g) => settingsGrants.some((s) => s.policy === g.policy))).toBe(true);
    const prefix = delivery.sesTenants.prefix;
    const own = { StringEquals: { 'aws:ResourceTag/client-messages:stack': prefix } };
    const on = (action: string) => settingsGrants.filter((g) => g.action === action).map((g) => ({ resource: json(g.resource).replace(/.*:ses:[^/]*:(\w[\w-]*)\/([^"]*)".*/, '$1/$2'), condition: g.condition }));
    expect(on('ses:CreateEmailIdentity')).toEqual([
      { resource: 'identity/*', condition: { StringEquals: { 'aws:RequestTag/client-messages:stack': prefix }, 'ForAllValues:StringEquals': { 'aws:TagKeys': ['client-messages:stack', 'client-messages:tenant'] } } },
    ]);
    expect(on('ses:DeleteEmailIdentity')).toEqual([{ resource: 'identity/*', condition: own }]);
    expect(on('ses:CreateTenantResourceAssociation')).toEqual(
      expect.arrayContaining([{ resource: 'identity/*', condition: own }, { resource: `tenant/${prefix}-*`, condition: undefined }]),
    );
    expect(on('ses:GetTenant')).toEqual([{ resource: `tenant/${prefix}-*`, condition: undefined }]);
    expect(on('ses:GetReputationEntity')).toEqual([{ resource: `tenant/${prefix}-*`, condition: undefined }]);
    expect(on('ses:TagResource').every((g) => json(g.condition).includes('aws:RequestTag/client-messages:stack'))).toBe(true);
    const settingsFn = stack.functions.get('settings')!;
    expect(resources[idOf(settingsFn.function)]!.Properties.Environment.Variables).toMatchObject({ SENDER_EMAIL: SENDER, SES_TENANT_PREFIX: prefix });
    // No other area function touches SES.
    for (const [area, fn] of stack.functions) {
      if (area === 'settings') continue;
      expect(grantsOf(resources, idOf(fn.role)).filter((g) => g.action.startsWith('ses:')), area).toEqual([]);
    }
  });

  it('lets the evaluator send to the delivery queue (and its failure destination) and nowhere else', () => {
    const sqs = evaluatorGrants.filter((g) => g.action.startsWith('sqs:'));
    const sends = sqs.filter((g) => g.action === 'sqs:SendMessage').map((g) => json(g.resource));
    expect(sends.sort()).toEqual([json(arnOf(delivery.queue)), json(arnOf(evaluator.failures))].sort());
    // The stream event source's on-failure destination is written with the function's role.
    for (const g of sqs.filter((x) => json(x.resource) !== json(arnOf(evaluator.failures)))) {
      expect(g.action, describeGrant(g)).toBe('sqs:SendMessage');
    }
  });

  it('lets the evaluator read table items, query ByTime and ByClient, put and update items (scheduled messages) and read the stream: no delete or Scan', () => {
    const dynamo = evaluatorGrants.filter((g) => g.action.startsWith('dynamodb:'));
    const items = dynamo.filter((g) => json(g.resource) === json(tableArn)).map((g) => g.action);
    expect(items.sort()).toEqual([...TABLE_READ_ACTIONS, 'dynamodb:PutItem', 'dynamodb:UpdateItem'].sort());
    const byTime = { 'Fn::Join': ['', [tableArn, '/index/ByTime']] };
    expect(dynamo.filter((g) => json(g.resource) === json(byTime)).map((g) => g.action)).toEqual(['dynamodb:Query']);
    const byClient = { 'Fn::Join': ['', [tableArn, '/index/ByClient']] };
    expect(dynamo.filter((g) => json(g.resource) === json(byClient)).map((g) => g.action)).toEqual(['dynamodb:Query']);
    const stream = dynamo.filter((g) => json(g.resource) === json(streamArn)).map((g) => g.action);
    expect(stream.sort()).toEqual(['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator']);
    const rest = dynamo.filter((g) => ![tableArn, byTime, byClient, streamArn].some((r) => json(g.resource) === json(r)));
    expect(rest.map((g) => `${g.action} ${json(g.resource)}`)).toEqual(['dynamodb:ListStreams "*"']);
    for (const g of dynamo) expect(g.action, describeGrant(g)).not.toMatch(/Delete|Write|Scan|\*/);
  });

  it('lets delivery read and write table items and consume (only) its queue', () => {
    const actions = new Set(deliveryGrants.filter((g) => json(g.resource) === json(tableArn)).map((g) => g.action));
    for (const action of ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query']) expect(actions).toContain(action);
    const sqs = deliveryGrants.filter((g) => g.action.startsWith('sqs:'));
    for (const g of sqs) expect(g.resource, describeGrant(g)).toEqual(arnOf(delivery.queue));
    expect(sqs.map((g) => g.action)).toEqual(expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage']));
  });
});

describe('message path configuration', () => {
  const emptyModule = (dir: string, module: string): void => {
    mkdirSync(path.dirname(path.join(dir, module)), { recursive: true });
    writeFileSync(path.join(dir, module), '');
  };
  const withHandlers = (): string => {
    const dir = mkdtempSync(path.join(tmpdir(), 'handlers-'));
    emptyModule(dir, path.join(AREAS_DIR, 'bookings.ts'));
    return dir;
  };
  const bookingsOnly = [{ area: 'bookings', routes: [{ method: 'GET' as const, path: '/b', auth: 'tenant' as const }] }];

  it('refuses a functions folder without the evaluator or delivery module', () => {
    expect(() => new MessagesStack(appLikeCli(SKIP_BUNDLING), 'NoEvaluator', { areas: bookingsOnly, functionsDir: withHandlers() })).toThrow(
      /rule evaluator has no handler module/,
    );
  });

  it('refuses a functions folder without the email events module', () => {
    const dir = withHandlers();
    for (const module of [EVALUATOR_MODULE, DELIVERY_MODULE]) emptyModule(dir, module);
    expect(() => new MessagesStack(appLikeCli(SKIP_BUNDLING), 'NoEmailEvents', { areas: bookingsOnly, functionsDir: dir })).toThrow(/email events has no handler module/);
  });

  it('refuses a sender that is not an email address and a malformed SMS sender ID', () => {
    expect(() => new MessagesStack(appLikeCli(SKIP_BUNDLING), 'BadSender', { areas: apiAreas, senderEmail: 'no-reply' })).toThrow(/not an email address/);
    expect(() => new MessagesStack(appLikeCli(SKIP_BUNDLING), 'BadSms', { areas: apiAreas, smsSenderId: 'Salon Lucía' })).toThrow(/SMS sender ID/);
  });
});
