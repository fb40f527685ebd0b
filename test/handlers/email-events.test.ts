import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { ConditionalCheckFailedException, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import type { EventBridgeEvent } from 'aws-lambda';
import { sesEmailSender } from '#adapters/ses/email-sender.ts';
import { emailTagsFor } from '#adapters/ses/message-tags.ts';
import { useClock } from '#adapters/clock.ts';
import { lambdaContext } from '../support/api-event.ts';
import { sesEvent } from '../support/ses-events.ts';
import { attributesSet, conditionIn } from '../support/expressions.ts';

const dynamo = mockClient(DynamoDBDocumentClient);
const ses = mockClient(SESv2Client);
let handler: (typeof import('#lambdas/email-events.ts'))['handler'];
let restoreClock: () => void;

beforeAll(async () => {
  process.env.TABLE_NAME = 'records';
  restoreClock = useClock(() => new Date('2026-03-01T10:00:05Z'));
  ({ handler } = await import('#lambdas/email-events.ts'));
});
afterAll(() => restoreClock());
beforeEach(() => {
  dynamo.reset();
  ses.reset();
});

const messageId = 'booking.01JD3M5X0Q7W8E9R2T4Y6U8I0O.v3.system.booking_confirmation.email';
const ours = Object.fromEntries(emailTagsFor({ tenantId: 'acme', messageId, messageType: 'booking_confirmation' }).map((tag) => [tag.Name!, [tag.Value!]]));
const invoke = (event: unknown) => handler(event as EventBridgeEvent<string, unknown>, lambdaContext);
const updates = () => dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input);
const conditionFailed = (item?: Record<string, unknown>) => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {}, ...(item ? { Item: item as never } : {}) });
const key = { pk: 'T#acme', sk: `message#${messageId}` };
/** An event settles only a message that exists and is still unsettled: the statuses its condition allows. */
const unsettledCondition = (update: ReturnType<typeof updates>[number]) => {
  expect(update.ConditionExpression).toMatch(/^attribute_exists\(pk\) AND /);
  return conditionIn(update, 'status');
};

describe('email events', () => {
  it('settle a message still sending as sent on SES\'s Send event, in one conditional update', async () => {
    dynamo.on(UpdateCommand).resolves({});
    await invoke(sesEvent('Send', ours, { messageId: 'ses-42', timestamp: '2026-03-01T10:00:00.123Z' }));
    expect(updates()).toHaveLength(1);
    const [update] = updates();
    expect(update).toMatchObject({ TableName: 'records', Key: key, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' });
    expect(attributesSet(update!)).toEqual({
      status: 'sent',
      providerMessageId: 'ses-42',
      sentAt: '2026-03-01T10:00:00.123Z',
      settledBy: 'ses_event',
      providerAccepted: true,
      updatedAt: '2026-03-01T10:00:05.000Z',
    });
    expect(unsettledCondition(update!)).toEqual(['sending', 'unknown']);
  });

  it('change nothing on the same Send event again: the condition fails and is not an error', async () => {
    dynamo.on(UpdateCommand).rejects(conditionFailed({ ...key, status: 'sent', providerMessageId: 'ses-42', providerAccepted: true }));
    await expect(invoke(sesEvent('Send', ours, { messageId: 'ses-42' }))).resolves.toBeUndefined();
    expect(updates()).toHaveLength(1);
  });

  it('only record that SES accepted a message delivery settled already, keeping its status and provider id', async () => {
    dynamo
      .on(UpdateCommand)
      .rejectsOnce(conditionFailed({ ...key, status: 'retrying' }))
      .resolves({});
    await invoke(sesEvent('Send', ours, { messageId: 'ses-42' }));
    expect(updates()[1]).toEqual({
      TableName: 'records',
      Key: key,
      UpdateExpression: 'SET providerAccepted = :accepted, providerMessageId = if_not_exists(providerMessageId, :providerMessageId)',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(providerAccepted)',
      ExpressionAttributeValues: { ':accepted': true, ':providerMessageId': 'ses-42' },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
  });

  it('create nothing for a message that does not exist (an email another system sent)', async () => {
    dynamo.on(UpdateCommand).rejects(conditionFailed());
    await invoke(sesEvent('Send', ours));
    expect(updates()).toHaveLength(1);
    expect(updates()[0]!.ConditionExpression).toMatch(/^attribute_exists\(pk\) AND /);
  });

  it('fail a message still sending on SES\'s Reject event, with the reason', async () => {
    dynamo.on(UpdateCommand).resolves({});
    await invoke(sesEvent('Reject', ours, { messageId: 'ses-42' }));
    const [update] = updates();
    expect(unsettledCondition(update!)).toEqual(['sending', 'unknown']);
    expect(attributesSet(update!)).toMatchObject({ status: 'failed', reason: 'failed: rejected: Bad content', providerMessageId: 'ses-42', settledBy: 'ses_event' });
  });

  it('leave a message alone on a Reject event once delivery settled it', async () => {
    dynamo.on(UpdateCommand).rejects(conditionFailed({ ...key, status: 'sent' }));
    await invoke(sesEvent('Reject', ours));
    expect(updates()).toHaveLength(1);
  });

  it('ignore, without writing or throwing, malformed events, emails that are not ours and events not acted on yet', async () => {
    for (const event of [undefined, { source: 'aws.ses', detail: 'x' }, sesEvent('Send', {}), sesEvent('Delivery', ours), sesEvent('Bounce', ours)]) {
      await expect(invoke(event)).resolves.toBeUndefined();
    }
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('throw when DynamoDB fails, so the event is retried and then kept in the dead-letter queue', async () => {
    dynamo.on(UpdateCommand).rejects(new ProvisionedThroughputExceededException({ message: 'Throughput exceeded', $metadata: {} }));
    await expect(invoke(sesEvent('Send', ours))).rejects.toThrow(/Throughput exceeded/);
  });

  it('find the message delivery sent: the tags on SendEmail are the ones the handler reads', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-7' });
    const sender = sesEmailSender(new SESv2Client({}), { from: 'no-reply@example.com', configurationSet: 'messages' });
    await sender.send({ to: 'ana@example.com', subject: 'Hola', text: 'Hola', html: '<p>Hola</p>', tenantId: 'acme', messageId, messageType: 'booking_confirmation' });
    const sent = ses.commandCalls(SendEmailCommand)[0]!.args[0].input.EmailTags!;
    dynamo.on(UpdateCommand).resolves({});
    await invoke(sesEvent('Send', Object.fromEntries(sent.map((tag) => [tag.Name!, [tag.Value!]])), { messageId: 'ses-7' }));
    expect(updates()[0]!.Key).toEqual(key);
  });
});
