import { describe, expect, it } from 'vitest';
import { apiAreas } from '#api/catalog.ts';
import { MessagesStack } from '#infra/messages-stack.ts';
import { IMPORT_MAX_RECEIVES, IMPORT_TIMEOUT, IMPORT_VISIBILITY_TIMEOUT } from '#infra/client-import.ts';
import { IMPORT_FILE_RETENTION } from '#infra/documents-bucket.ts';
import { appLikeCli, grantsOf, SKIP_BUNDLING, templateOf } from './support.ts';

// The import worker: its queue and dead-letter queue with an alarm, the function and its event
// source, and least privilege for it and for the imports API area. Bundling skipped: the shape
// does not depend on the bundles (nag.test.ts synthesizes with them).
const app = appLikeCli({ ...SKIP_BUNDLING });
const stack = new MessagesStack(app, 'ClientMessages', { areas: apiAreas });
const { resources, ofType, idOf, arnOf } = templateOf(stack);
const json = (value: unknown) => JSON.stringify(value);

const { imports } = stack;
const fnId = idOf(imports.fn.function);
const queueArn = arnOf(imports.queue);
const bucketArn = arnOf(stack.documents.bucket);
const importObjects = { 'Fn::Join': ['', [bucketArn, '/imports/*']] };
const tableArn = arnOf(stack.records.table);
const shown = (grants: ReturnType<typeof grantsOf>) =>
  grants.filter((g) => !g.action.startsWith('logs:') && !g.action.startsWith('xray:')).map((g) => `${g.effect} ${g.action} ${json(g.resource)}`);

describe('the import worker', () => {
  it('is fed one chunk at a time by its queue, with failures reported per message', () => {
    const [mapping] = ofType('AWS::Lambda::EventSourceMapping').filter(([, r]) => json(r.Properties.FunctionName) === json({ Ref: fnId }));
    expect(mapping![1].Properties).toMatchObject({ BatchSize: 1, EventSourceArn: queueArn, FunctionResponseTypes: ['ReportBatchItemFailures'], ScalingConfig: { MaximumConcurrency: 4 } });
    expect(resources[fnId]!.Properties).toMatchObject({ Timeout: IMPORT_TIMEOUT.toSeconds(), Environment: { Variables: { MAX_RECEIVE_COUNT: String(IMPORT_MAX_RECEIVES) } } });
  });

  it('has a queue that redrives to a dead-letter queue after the receives the handler counts, with an alarm on it', () => {
    const queue = resources[idOf(imports.queue)]!.Properties;
    expect(queue.VisibilityTimeout).toBe(IMPORT_VISIBILITY_TIMEOUT.toSeconds());
    expect(queue.RedrivePolicy).toEqual({ deadLetterTargetArn: arnOf(imports.deadLetters), maxReceiveCount: IMPORT_MAX_RECEIVES });
    const alarm = ofType('AWS::CloudWatch::Alarm')
      .map(([, a]) => a.Properties)
      .find((a) => json(a.Dimensions) === json([{ Name: 'QueueName', Value: { 'Fn::GetAtt': [idOf(imports.deadLetters), 'QueueName'] } }]));
    expect(alarm!.AlarmDescription).toMatch(/import is marked failed/);
  });

  it('may read and write table items, read files and write reports under imports/, and send to its own queue: nothing else', () => {
    const granted = shown(grantsOf(resources, idOf(imports.fn.role)));
    expect(granted).toEqual(expect.arrayContaining([`Allow s3:GetObject ${json(importObjects)}`, `Allow s3:PutObject ${json(importObjects)}`, `Allow sqs:SendMessage ${json(queueArn)}`]));
    for (const grant of granted) {
      expect(grant, 'only the table, the import files and the import queue').toMatch(
        new RegExp(`(${json(tableArn).replace(/[[\]{}]/g, '.')}|imports/\\*|${idOf(imports.queue)}|s3:ListBucket)`),
      );
    }
    expect(granted.some((grant) => /documents\/\*|uploads\/\*/.test(grant))).toBe(false);
  });
});

describe('the imports API area', () => {
  const area = stack.functions.get('imports')!;
  const granted = shown(grantsOf(resources, idOf(area.role)));

  it('presigns and reads import files under imports/ only, and queues imports on the import queue only', () => {
    expect(granted).toEqual(expect.arrayContaining([`Allow s3:PutObject ${json(importObjects)}`, `Allow s3:GetObject ${json(importObjects)}`, `Allow sqs:SendMessage ${json(queueArn)}`]));
    expect(granted.filter((grant) => grant.includes('sqs:'))).toEqual([`Allow sqs:SendMessage ${json(queueArn)}`]);
    expect(granted.some((grant) => /documents\/\*|uploads\/\*/.test(grant))).toBe(false);
    expect(resources[idOf(area.function)]!.Properties.Environment.Variables).toMatchObject({ IMPORT_QUEUE_URL: { Ref: idOf(imports.queue) } });
  });

  it('keeps import files and reports 30 days in the bucket', () => {
    const rules = resources[idOf(stack.documents.bucket)]!.Properties.LifecycleConfiguration.Rules as { Id: string; Prefix?: string; ExpirationInDays?: number }[];
    expect(rules.find((rule) => rule.Id === 'ExpireImportFiles')).toMatchObject({ Prefix: 'imports/', ExpirationInDays: IMPORT_FILE_RETENTION.toDays() });
  });
});
