import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { verifyUnsubscribeToken } from '#domain/unsubscribe-token.ts';
import type { SQSRecord } from 'aws-lambda';
import { lambdaContext } from '../support/api-event.ts';
import { useClock } from '#adapters/clock.ts';
import { attributesSet } from '../support/expressions.ts';
import { mailboxOf } from '#domain/sender.ts';

const dynamo = mockClient(DynamoDBDocumentClient);
const ses = mockClient(SESv2Client);
const sns = mockClient(SNSClient);
const secrets = mockClient(SecretsManagerClient);
const unsubscribeKey = 'k'.repeat(64);
let handler: (typeof import('#lambdas/message-delivery.ts'))['handler'];

beforeAll(async () => {
  Object.assign(process.env, {
    TABLE_NAME: 'records',
    SENDER_EMAIL: 'no-reply@example.com',
    SES_CONFIGURATION_SET: 'messages',
    MAX_RECEIVE_COUNT: '3',
    UNSUBSCRIBE_KEY_SECRET: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:unsubscribe-key',
    PUBLIC_BASE_URL: 'https://api.example',
  });
  // Not reset between tests: the key is read once per container, and the last test counts the reads.
  secrets.on(GetSecretValueCommand, { SecretId: process.env.UNSUBSCRIBE_KEY_SECRET }).resolves({ SecretString: unsubscribeKey });
  ({ handler } = await import('#lambdas/message-delivery.ts'));
});
beforeEach(() => {
  dynamo.reset();
  ses.reset();
  sns.reset();
});

const intent = (changes: object = {}) => ({
  id: 'booking.B1.v1.system.booking_confirmation.email',
  tenantId: 'acme',
  ruleId: 'system.booking_confirmation.email',
  messageType: 'booking_confirmation',
  channel: 'email',
  audience: 'client',
  entity: { kind: 'booking', id: 'B1', version: 1 },
  clientId: 'C1',
  locationId: 'L1',
  expected: { status: 'confirmed', schedule: '2026-03-29T10:00:00+02:00' },
  eventType: 'booking.created',
  decidedAt: '2026-03-01T00:00:00.000Z',
  ...changes,
});
/** An intent about something without a place or a time (an inbound item, the client): expected only in its status. */
const unscheduledIntent = (entity: { kind: string; id: string; version: number }, status: string, changes: object) =>
  intent({ entity, locationId: undefined, expected: { status, schedule: null }, ...changes });
/** The queue body carrying one intent (the id is derived from the record version and the rule). */
const asRequest = ({ id: _id, ruleId, messageType, channel, audience, eventType, ...shared }: ReturnType<typeof intent>) => ({
  ...shared,
  messages: [{ ruleId, messageType, channel, audience, eventType }],
});
const sqsRecord = (body: ReturnType<typeof intent> | object, receiveCount = 1): SQSRecord =>
  ({
    messageId: `m-${receiveCount}`,
    body: JSON.stringify('ruleId' in body ? asRequest(body as ReturnType<typeof intent>) : body),
    attributes: { ApproximateReceiveCount: String(receiveCount) },
  }) as unknown as SQSRecord;

/** When the fixtures were stored: every stored record carries its creation and last change. */
const storedAt = { createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' };
const items = {
  booking: { kind: 'booking', id: 'B1', version: 1, clientId: 'C1', locationId: 'L1', service: 'Corte', status: 'confirmed', start: '2026-03-29T10:00:00+02:00', end: '2026-03-29T10:45:00+02:00', ...storedAt },
  client: { kind: 'client', id: 'C1', version: 1, firstName: 'Ana', email: 'ana@example.com', phone: '+34612345678', language: 'es', consent: { email: true, sms: false }, status: 'active', customFields: {}, ...storedAt },
  settings: { kind: 'settings', id: 'current', version: 1, businessName: 'Salón Lucía', timeZone: 'Europe/Madrid', defaultLanguage: 'es', bookingApproval: 'automatic', orderStatuses: ['New'], leadStatuses: ['New'], ...storedAt },
  location: { kind: 'location', id: 'L1', version: 1, name: 'Centro', timeZone: 'Europe/Madrid', ...storedAt },
};
const loads = (overrides: Partial<typeof items> = {}) =>
  dynamo.on(BatchGetCommand).resolves({ Responses: { records: Object.values({ ...items, ...overrides }).filter(Boolean) } });
const claimed = () => dynamo.commandCalls(PutCommand).map((call) => call.args[0].input.Item!);
/** The claim's refusal, carrying the message stored under the id (as ReturnValuesOnConditionCheckFailure gives it). */
const stored = (message: object) =>
  new ConditionalCheckFailedException({
    message: 'The conditional request failed',
    $metadata: {},
    Item: marshall({ pk: 'T#acme', sk: 'message#booking.B1.v1.system.booking_confirmation.email', id: 'booking.B1.v1.system.booking_confirmation.email', clientId: 'C1', direction: 'outbound', channel: 'email', messageType: 'booking_confirmation', audience: 'client', attempts: 1, createdAt: '2026-03-01T00:00:00.000Z', updatedAt: '2026-03-01T00:00:00.000Z', ...message }, { removeUndefinedValues: true }),
  });
const transitions = () => dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input);
/** An update's changes by attribute name. */
const changesOf = attributesSet;

describe('delivery', () => {
  it('renders in the client’s language and zone, records the message, sends it once, and marks it sent', async () => {
    loads();
    dynamo.on(PutCommand).resolves({});
    dynamo.on(UpdateCommand).resolves({});
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
    const result = await handler({ Records: [sqsRecord(intent())] }, lambdaContext);
    expect(result.batchItemFailures).toEqual([]);
    expect(dynamo.commandCalls(BatchGetCommand)).toHaveLength(1);
    const [record] = claimed();
    expect(record).toMatchObject({ sk: 'message#booking.B1.v1.system.booking_confirmation.email', status: 'sending', to: 'ana@example.com', gsi2pk: 'T#acme#client#C1' });
    expect(record!.text).toContain('10:00');
    const email = ses.commandCalls(SendEmailCommand)[0]!.args[0].input;
    // The platform address with the business's name (RFC 2047: it is not ASCII); no tenant yet, no contact address.
    expect(email).toMatchObject({ FromEmailAddress: mailboxOf('Salón Lucía', 'no-reply@example.com'), Destination: { ToAddresses: ['ana@example.com'] }, ConfigurationSetName: 'messages' });
    expect(email.FromEmailAddress).toMatch(/^=\?UTF-8\?B\?/);
    expect(email).not.toHaveProperty('TenantName');
    expect(email).not.toHaveProperty('ReplyToAddresses');
    expect(email.Content!.Simple!.Body!.Html!.Data).toContain('Ana');
    expect(changesOf(transitions()[0]!)).toMatchObject({ status: 'sent', providerMessageId: 'ses-1' });
  });

  describe('as the business', () => {
    const at = '2026-01-01T00:00:00.000Z';
    const sender = (status: 'pending' | 'verified') => ({
      kind: 'senderIdentity',
      id: 'current',
      version: 2,
      tenant: { name: 'ClientMessages-abc', createdAt: at },
      domain: { name: 'salon-lucia.es', localPart: 'citas', status, dkimRecords: [], registeredAt: at, checkedAt: at },
      ...storedAt,
    });
    const sent = async (identity: object) => {
      loads({ settings: { ...items.settings, contactEmail: 'lucia@gmail.example' } as typeof items.settings, ...({ sender: identity } as object) });
      dynamo.on(PutCommand).resolves({});
      dynamo.on(UpdateCommand).resolves({});
      ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
      await handler({ Records: [sqsRecord(intent())] }, lambdaContext);
      // Who it is from was read with the rest, in the one batch read: no SES call but the send.
      expect(dynamo.commandCalls(BatchGetCommand)).toHaveLength(1);
      expect(dynamo.commandCalls(BatchGetCommand)[0]!.args[0].input.RequestItems!.records!.Keys).toContainEqual({ pk: 'T#acme', sk: 'senderIdentity#current' });
      expect(ses.calls()).toHaveLength(1);
      return ses.commandCalls(SendEmailCommand)[0]!.args[0].input;
    };

    it('goes from the own domain once verified, in the business\'s SES tenant, replies to its contact address', async () => {
      expect(await sent(sender('verified'))).toMatchObject({
        FromEmailAddress: mailboxOf('Salón Lucía', 'citas@salon-lucia.es'),
        ReplyToAddresses: ['lucia@gmail.example'],
        TenantName: 'ClientMessages-abc',
      });
    });

    it('keeps the platform address while the domain is pending, still in its tenant', async () => {
      expect(await sent(sender('pending'))).toMatchObject({ FromEmailAddress: mailboxOf('Salón Lucía', 'no-reply@example.com'), TenantName: 'ClientMessages-abc' });
    });
  });

  it('sends nothing when the message was already handled', async () => {
    loads();
    dynamo.on(PutCommand).rejects(stored({ status: 'sent' }));
    const result = await handler({ Records: [sqsRecord(intent())] }, lambdaContext);
    expect(result.batchItemFailures).toEqual([]);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  it('records an SMS to a client who did not opt in as not sent, with the reason', async () => {
    loads();
    dynamo.on(PutCommand).resolves({});
    await handler({ Records: [sqsRecord(intent({ channel: 'sms', ruleId: 'system.booking_confirmation.sms' }))] }, lambdaContext);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect(claimed()[0]).toMatchObject({ status: 'not_sent', reason: 'no_consent' });
  });

  it('records a message about a booking cancelled meanwhile as stale', async () => {
    loads({ booking: { ...items.booking, status: 'cancelled', version: 2 } });
    dynamo.on(PutCommand).resolves({});
    await handler({ Records: [sqsRecord(intent())] }, lambdaContext);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
    expect(claimed()[0]).toMatchObject({ status: 'not_sent', reason: 'stale: booking is now cancelled' });
  });

  it('records a client without an address as no_address', async () => {
    loads({ client: { ...items.client, email: undefined } as never });
    dynamo.on(PutCommand).resolves({});
    await handler({ Records: [sqsRecord(intent())] }, lambdaContext);
    expect(claimed()[0]).toMatchObject({ status: 'not_sent', reason: 'no_address' });
  });

  it('leaves a throttled send for the queue to retry, and records the final failure', async () => {
    loads();
    dynamo.on(PutCommand).resolves({});
    dynamo.on(UpdateCommand).resolves({});
    ses.on(SendEmailCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } }));
    const first = await handler({ Records: [sqsRecord(intent(), 1)] }, lambdaContext);
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
    expect(changesOf(transitions()[0]!)).toMatchObject({ status: 'retrying' });

    dynamo.resetHistory();
    const last = await handler({ Records: [sqsRecord(intent(), 3)] }, lambdaContext);
    expect(last.batchItemFailures).toEqual([{ itemIdentifier: 'm-3' }]);
    expect(changesOf(transitions()[0]!)).toMatchObject({ status: 'failed', reason: expect.stringContaining('failed: TooManyRequestsException') });
  });

  it('records a rejected address as failed without retrying', async () => {
    loads();
    dynamo.on(PutCommand).resolves({});
    dynamo.on(UpdateCommand).resolves({});
    ses.on(SendEmailCommand).rejects(Object.assign(new Error('Email address is not verified'), { name: 'MessageRejected', $metadata: { httpStatusCode: 400 } }));
    const result = await handler({ Records: [sqsRecord(intent())] }, lambdaContext);
    expect(result.batchItemFailures).toEqual([]);
    expect(changesOf(transitions()[0]!)).toMatchObject({ status: 'failed' });
  });

  it('records a message that renders over its channel’s limit as failed, too_long, and sends nothing', async () => {
    // A condition on what the name says gets past the save-time check; the name makes it 60,000 characters.
    const text = '{% if client.firstName contains "Z" %}{% for i in (1..300) %}{{ client.firstName }}{% endfor %}{% endif %}';
    const template = { kind: 'template', id: 'booking_confirmation.sms', version: 1, messageType: 'booking_confirmation', channel: 'sms', languages: { es: { text } }, ...storedAt };
    loads({ client: { ...items.client, firstName: 'Z'.repeat(200), consent: { email: true, sms: true } }, template } as never);
    dynamo.on(PutCommand).resolves({});
    const result = await handler({ Records: [sqsRecord(intent({ channel: 'sms', ruleId: 'system.booking_confirmation.sms' }))] }, lambdaContext);
    expect(result.batchItemFailures).toEqual([]);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect(claimed()).toEqual([expect.objectContaining({ status: 'failed', reason: 'too_long' })]);
    expect(claimed()[0]).not.toHaveProperty('text');
  });

  it('delivers each message of a request, and retries the request when one of them fails', async () => {
    loads({ client: { ...items.client, consent: { email: true, sms: true } } });
    dynamo.on(PutCommand).resolves({});
    dynamo.on(UpdateCommand).resolves({});
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-2' });
    sns.on(PublishCommand).rejects(Object.assign(new Error('unavailable'), { name: 'InternalErrorException', $metadata: { httpStatusCode: 500 } }));
    const request = { ...asRequest(intent()), messages: [asRequest(intent()).messages[0]!, { ...asRequest(intent()).messages[0]!, ruleId: 'system.booking_confirmation.sms', channel: 'sms' }] };
    const result = await handler({ Records: [sqsRecord(request)] }, lambdaContext);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    // Each message is delivered on its own, concurrently: the claims come in either order.
    expect(claimed().map((item) => item.sk).sort()).toEqual(['message#booking.B1.v1.system.booking_confirmation.email', 'message#booking.B1.v1.system.booking_confirmation.sms']);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
  });

  it('records a message whose data cannot be loaded as failed on the last receive, instead of losing it to the dead-letter queue', async () => {
    dynamo.on(BatchGetCommand).rejects(Object.assign(new Error('Throughput exceeded'), { name: 'ProvisionedThroughputExceededException' }));
    dynamo.on(PutCommand).resolves({});
    const early = await handler({ Records: [sqsRecord(intent(), 1)] }, lambdaContext);
    expect(early.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
    expect(claimed()).toEqual([]);
    const last = await handler({ Records: [sqsRecord(intent(), 3)] }, lambdaContext);
    expect(last.batchItemFailures).toEqual([{ itemIdentifier: 'm-3' }]);
    expect(claimed()[0]).toMatchObject({ status: 'failed', reason: 'failed: Throughput exceeded', clientId: 'C1' });
  });

  it('fails an unreadable body so it reaches the dead-letter queue instead of vanishing', async () => {
    const result = await handler({ Records: [sqsRecord({ nonsense: true })] }, lambdaContext);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
  });
});

describe('delivery of timed messages', () => {
  const settingsPage = { kind: 'ruleSettings', id: 'current', version: 1, bookingReminders: [{ before: { amount: 1, unit: 'days' }, sms: false }], ...storedAt };
  const reminder = (timed: object = {}, changes: object = {}) =>
    intent({
      ruleId: 'system.booking_reminder.1.email',
      messageType: 'booking_reminder',
      eventType: 'booking.before_start',
      timed: {
        anchor: { attribute: 'start', value: '2026-03-29T10:00:00+02:00' },
        holdsWhile: ['confirmed'],
        dueAt: '2026-03-28T09:00:00.000Z',
        notAfter: '2026-03-29T08:00:00.000Z',
        timing: 'before.start.1d',
        ...timed,
      },
      ...changes,
    });
  const reasonOf = () => claimed()[0]!;
  let restoreClock: () => void;
  afterEach(() => restoreClock());

  beforeEach(() => {
    restoreClock = useClock(() => new Date('2026-03-28T09:00:01Z'));
    dynamo.on(PutCommand).resolves({});
    dynamo.on(UpdateCommand).resolves({});
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-9' });
  });

  it('sends a reminder while the booking is as it was armed for, with an id of its due time', async () => {
    loads({ settingsPage } as never);
    await handler({ Records: [sqsRecord(reminder())] }, lambdaContext);
    expect(reasonOf()).toMatchObject({ sk: 'message#booking.B1.system.booking_reminder.1.email@2026-03-28T09:00:00.000Z', status: 'sending' });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
  });

  it.each([
    ['the booking moved', { booking: { ...items.booking, start: '2026-03-30T10:00:00+02:00' } }, {}, 'stale: booking moved to 2026-03-30T10:00:00+02:00'],
    ['the booking was cancelled', { booking: { ...items.booking, status: 'cancelled' } }, {}, 'stale: booking is now cancelled'],
    ['the reminder was switched off', { settingsPage: { ...settingsPage, bookingReminders: [] } }, {}, 'stale: the rule is off or deleted'],
    ['the reminder now has another offset', { settingsPage: { ...settingsPage, bookingReminders: [{ before: { amount: 2, unit: 'days' }, sms: false }] } }, {}, 'stale: the rule now sends before.start.2d'],
    ['it was armed too late', {}, { skipped: 'too_late' }, 'skipped: too_late'],
    ['it fires after the appointment', {}, { notAfter: '2026-03-01T00:00:00.000Z' }, 'skipped: too_late'],
  ])('records it as not sent when %s', async (_case, overrides, timed, reason) => {
    loads({ settingsPage, ...overrides } as never);
    await handler({ Records: [sqsRecord(reminder(timed))] }, lambdaContext);
    expect(reasonOf()).toMatchObject({ status: 'not_sent', reason });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  it('keeps a custom rule’s reminder only while the rule is on with the same offset', async () => {
    const rule = { kind: 'rule', id: 'R1', version: 1, name: 'Day before', trigger: { entity: 'booking', on: 'before_schedule', offset: { amount: 1, unit: 'days' } }, audience: 'client', channel: 'email', template: 'booking_reminder', locations: 'all', businessHoursOnly: false, enabled: false, ...storedAt };
    loads({ rule } as never);
    await handler({ Records: [sqsRecord(reminder({}, { ruleId: 'R1' }))] }, lambdaContext);
    expect(reasonOf()).toMatchObject({ status: 'not_sent', reason: 'stale: the rule is off or deleted' });
    expect(dynamo.commandCalls(BatchGetCommand)[0]!.args[0].input.RequestItems!.records!.Keys).toContainEqual({ pk: 'T#acme', sk: 'rule#R1' });
  });

  it('gives the business a notification with a link to the record, once', async () => {
    const manual = { kind: 'ruleSettings', id: 'current', version: 1, followUp: { mode: 'manual', after: { amount: 2, unit: 'hours' }, sms: false }, ...storedAt };
    loads({ settingsPage: manual, settings: { ...items.settings, contactEmail: 'owner@example.com' } } as never);
    const followUp = reminder(
      { anchor: { attribute: 'end', value: items.booking.end }, holdsWhile: ['confirmed', 'completed'], dueAt: '2026-03-29T10:45:00.000Z', notAfter: undefined, timing: 'after.end.2h' },
      { ruleId: 'system.booking_follow_up_due.email', messageType: 'booking_follow_up_due', audience: 'business' },
    );
    await handler({ Records: [sqsRecord(followUp)] }, lambdaContext);
    expect(ses.commandCalls(SendEmailCommand)[0]!.args[0].input.Destination).toEqual({ ToAddresses: ['owner@example.com'] });
    const notification = claimed().find((item) => item.kind === 'notification');
    expect(notification).toMatchObject({ sk: expect.stringMatching(/^notification#booking\.B1\.system\.booking_follow_up_due\.email@/), link: '/bookings/B1', read: false, entity: { kind: 'booking', id: 'B1' } });
  });
});

describe('delivery of auto-replies and card messages', () => {
  beforeEach(() => {
    dynamo.on(PutCommand).resolves({});
    dynamo.on(UpdateCommand).resolves({});
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-r' });
    sns.on(PublishCommand).resolves({ MessageId: 'sns-r' });
  });
  const inbound = { kind: 'message', id: 'M1', version: 1, clientId: 'C1', direction: 'inbound', channel: 'web', messageType: 'contact_form', audience: 'client', status: 'received', attempts: 0, replyChannel: 'email', replyTo: 'wrote@example.com', sender: { firstName: 'Anita', email: 'wrote@example.com' }, ...storedAt };
  const page = { kind: 'ruleSettings', id: 'current', version: 1, autoReplies: { message: { enabled: true }, document: { enabled: true }, contactForm: { enabled: true, text: 'Gracias, {{ client.firstName }}. Te llamamos hoy.' } }, ...storedAt };
  const reply = (changes: object = {}) =>
    unscheduledIntent({ kind: 'message', id: 'M1', version: 1 }, 'received', {
      id: 'message.M1.v1.system.auto_reply_contact_form.email',
      ruleId: 'system.auto_reply_contact_form.email',
      messageType: 'auto_reply_contact_form',
      eventType: 'message.received',
      ...changes,
    });
  const keysRead = () => dynamo.commandCalls(BatchGetCommand)[0]!.args[0].input.RequestItems!.records!.Keys!.map((key) => key.sk);

  it('answers where the person wrote from, by the name they typed (not the card’s), with the business’s reply text, though the card says no to email', async () => {
    loads({ booking: undefined, location: undefined, inbound, page, client: { ...items.client, consent: { email: false, sms: false } } } as never);
    await handler({ Records: [sqsRecord(reply())] }, lambdaContext);
    expect(keysRead()).toContain('message#M1');
    const email = ses.commandCalls(SendEmailCommand)[0]!.args[0].input;
    expect(email.Destination).toEqual({ ToAddresses: ['wrote@example.com'] });
    expect(email.Content!.Simple!.Body!.Text!.Data).toMatch(/^Gracias, Anita\. Te llamamos hoy\.\n\n—\nElige qué correos recibes:\nhttps:\/\/api\.example\/public\/unsubscribe\?link=/);
    expect(claimed()[0]).toMatchObject({ sk: 'message#message.M1.v1.system.auto_reply_contact_form.email', direction: 'outbound', to: 'wrote@example.com', entity: { kind: 'message', id: 'M1' } });
  });

  describe('the SMS budget', () => {
    const smsIntent = intent({ id: 'booking.B1.v1.system.booking_confirmation.sms', channel: 'sms', ruleId: 'system.booking_confirmation.sms' });
    const optedIn = { ...items.client, consent: { email: true, sms: true } };
    const usageCalls = () => transitions().filter((input) => String(input.Key?.sk).startsWith('smsUsage#'));
    let restoreClock = () => {};
    afterEach(() => restoreClock());

    it('takes the SMS’s segments from the business’s month before sending, and gives them back when the provider refuses it for sure', async () => {
      restoreClock = useClock(() => new Date('2026-03-31T22:30:00Z'));
      loads({ client: optedIn });
      dynamo.on(PutCommand).resolves({});
      dynamo.on(UpdateCommand).resolves({ Attributes: { used: 1 } });
      sns.on(PublishCommand).rejects(Object.assign(new Error('Invalid phone number'), { name: 'InvalidParameterException', $metadata: { httpStatusCode: 400 } }));
      await handler({ Records: [sqsRecord(smsIntent)] }, lambdaContext);
      const [take, giveBack] = usageCalls();
      // 22:30 UTC on 31 March is 1 April in Madrid: the business's April. "Salón Lucía" makes it UCS-2: two segments.
      expect(take).toMatchObject({ Key: { pk: 'T#acme', sk: 'smsUsage#2026-04' }, ExpressionAttributeValues: { ':segments': 2, ':room': 298 } });
      expect(giveBack).toMatchObject({ Key: { sk: 'smsUsage#2026-04' }, UpdateExpression: 'ADD #used :minus DELETE #messages :message', ExpressionAttributeValues: { ':minus': -2 } });
      expect(usageCalls()).toHaveLength(2);
    });

    it('records an SMS over budget as not sent, sends nothing and keeps no segments', async () => {
      loads({ client: optedIn });
      dynamo.on(PutCommand).resolves({});
      dynamo.on(UpdateCommand, { Key: { sk: 'smsUsage#2026-03' } }).rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {}, Item: marshall({ used: 300 }) }));
      dynamo.on(UpdateCommand, { Key: { sk: 'message#booking.B1.v1.system.booking_confirmation.sms' } }).resolves({});
      restoreClock = useClock(() => new Date('2026-03-10T10:00:00Z'));
      await handler({ Records: [sqsRecord(smsIntent)] }, lambdaContext);
      expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
      expect(transitions().map(changesOf)).toContainEqual(expect.objectContaining({ status: 'not_sent', reason: 'sms_budget_exhausted' }));
      // Used up: the 80 % and 100 % notices are made, once each (conditional puts).
      expect(claimed().filter((item) => item.kind === 'notification').map((item) => item.id)).toEqual(['usage.2026-03.sms.80', 'usage.2026-03.sms.100']);
    });

    it('sends no SMS on the free plan', async () => {
      loads({ client: optedIn, plan: { kind: 'plan', id: 'current', plan: 'free', version: 1, ...storedAt } } as Partial<typeof items>);
      dynamo.on(PutCommand).resolves({});
      await handler({ Records: [sqsRecord(smsIntent)] }, lambdaContext);
      expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
      expect(usageCalls()).toHaveLength(0);
      expect(claimed()[0]).toMatchObject({ status: 'not_sent', reason: 'plan' });
    });
  });

  it('answers by SMS only a client who opted in to SMS', async () => {
    const texted = { ...inbound, replyChannel: 'sms', replyTo: '+34699999999' };
    const smsReply = reply({ id: 'message.M1.v1.system.auto_reply_contact_form.sms', ruleId: 'system.auto_reply_contact_form.sms', channel: 'sms' });
    loads({ booking: undefined, location: undefined, inbound: texted, page } as never);
    await handler({ Records: [sqsRecord(smsReply)] }, lambdaContext);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect(claimed()[0]).toMatchObject({ status: 'not_sent', reason: 'no_consent' });

    dynamo.resetHistory();
    loads({ booking: undefined, location: undefined, inbound: texted, page, client: { ...items.client, consent: { email: false, sms: true } } } as never);
    await handler({ Records: [sqsRecord(smsReply)] }, lambdaContext);
    expect(sns.commandCalls(PublishCommand)[0]!.args[0].input).toMatchObject({ PhoneNumber: '+34699999999', Message: 'Gracias, Anita. Te llamamos hoy.' });
  });

  it('sends a free-form message from the card as plain text, reading the client once', async () => {
    loads({ booking: undefined, location: undefined, client: { ...items.client, status: 'active', consent: { email: true, sms: false } } } as never);
    const freeForm = unscheduledIntent({ kind: 'client', id: 'C1', version: 1 }, 'active', {
      id: 'client.C1.manual.free_form.k1',
      ruleId: 'manual.free_form.k1',
      messageType: 'free_form',
      eventType: 'client_card',
      content: { subject: 'Tu pedido', text: 'Ya está <b>listo</b>.' },
    });
    await handler({ Records: [sqsRecord(freeForm)] }, lambdaContext);
    const keys = keysRead();
    expect(keys.filter((key) => key === 'client#C1')).toHaveLength(1);
    const email = ses.commandCalls(SendEmailCommand)[0]!.args[0].input.Content!.Simple!;
    expect(email.Subject!.Data).toBe('Tu pedido');
    expect(email.Body!.Text!.Data).toMatch(/^Ya está <b>listo<\/b>\.\n\nSalón Lucía\n\n—\nElige qué correos recibes:\nhttps:\/\/api\.example\/public\/unsubscribe\?link=[\w.-]+$/);
    expect(email.Body!.Html!.Data).toContain('Ya está &lt;b&gt;listo&lt;/b&gt;.');
    expect(claimed()[0]).toMatchObject({ sk: 'message#client.C1.manual.free_form.k1', messageType: 'free_form', status: 'sending', subject: 'Tu pedido' });
  });
});

describe('unsubscribe links and unsubscribed clients', () => {
  const invitation = unscheduledIntent({ kind: 'client', id: 'C1', version: 1 }, 'active', {
    id: 'client.C1.manual.booking_invitation.k1',
    ruleId: 'manual.booking_invitation.k1',
    messageType: 'booking_invitation',
    eventType: 'client_card',
  });
  const sent = () => ses.commandCalls(SendEmailCommand)[0]!.args[0].input.Content!.Simple!;
  const linkIn = (text: string) => decodeURIComponent(/\?link=([\w.%-]+)/.exec(text)![1]!);
  const unsubscribed = (key: string) => ({ ...items.client, unsubscribed: { email: { [key]: { at: '2026-02-01T10:00:00.000Z', source: 'one_click' } } } });
  beforeEach(() => {
    dynamo.on(PutCommand).resolves({});
    dynamo.on(UpdateCommand).resolves({});
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
  });

  it('a marketing email carries List-Unsubscribe and List-Unsubscribe-Post, its link signed for its client and kind', async () => {
    loads({ booking: undefined, location: undefined } as never);
    await handler({ Records: [sqsRecord(invitation)] }, lambdaContext);
    const email = sent();
    const headers = Object.fromEntries(email.Headers!.map((header) => [header.Name, header.Value]));
    expect(headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    const url = /^<(https:\/\/api\.example\/public\/unsubscribe\?link=[\w.%-]+)>$/.exec(headers['List-Unsubscribe']!)?.[1];
    expect(url).toBeDefined();
    expect(email.Body!.Text!.Data).toContain(`¿No quieres recibir correos como este? Date de baja o elige qué recibes:\n${url}`);
    expect(await verifyUnsubscribeToken(new TextEncoder().encode(unsubscribeKey), linkIn(url!), new Date())).toEqual({ tenantId: 'acme', clientId: 'C1', channel: 'email', kind: 'booking_invitation' });
  });

  it('a transactional email carries only the preferences link, naming no kind', async () => {
    loads();
    await handler({ Records: [sqsRecord(intent())] }, lambdaContext);
    const email = sent();
    expect(email.Headers ?? []).toEqual([]);
    expect(await verifyUnsubscribeToken(new TextEncoder().encode(unsubscribeKey), linkIn(email.Body!.Text!.Data!), new Date())).toEqual({ tenantId: 'acme', clientId: 'C1', channel: 'email' });
  });

  it.each(['booking_invitation', 'marketing', 'all'])('a marketing email to a client who turned off %s is not sent: unsubscribed', async (key) => {
    loads({ booking: undefined, location: undefined, client: unsubscribed(key) } as never);
    await handler({ Records: [sqsRecord(invitation)] }, lambdaContext);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
    expect(claimed()[0]).toMatchObject({ status: 'not_sent', reason: 'unsubscribed' });
  });

  it('a confirmation still goes to a client who turned off marketing, and not to one who turned off all email', async () => {
    loads({ client: unsubscribed('marketing') });
    await handler({ Records: [sqsRecord(intent())] }, lambdaContext);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);

    dynamo.resetHistory();
    loads({ client: unsubscribed('all') });
    await handler({ Records: [sqsRecord(intent())] }, lambdaContext);
    expect(claimed()[0]).toMatchObject({ status: 'not_sent', reason: 'unsubscribed' });
  });

  it('a custom rule the business marked marketing is its own kind; one not marked is transactional', async () => {
    const ruleIntent = intent({ id: 'booking.B1.v1.R1.email', ruleId: 'R1' });
    const rule = (marketing: boolean) => ({ kind: 'rule', id: 'R1', version: 1, name: 'Promo', trigger: { entity: 'booking', on: 'created' }, audience: 'client', channel: 'email', template: 'booking_confirmation', locations: 'all', businessHoursOnly: false, enabled: true, marketing, ...storedAt });
    loads({ rule: rule(true), client: unsubscribed('rule.R1') } as never);
    await handler({ Records: [sqsRecord(ruleIntent)] }, lambdaContext);
    expect(claimed()[0]).toMatchObject({ status: 'not_sent', reason: 'unsubscribed' });

    dynamo.resetHistory();
    loads({ rule: rule(false), client: unsubscribed('rule.R1') } as never);
    await handler({ Records: [sqsRecord(ruleIntent)] }, lambdaContext);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    expect(sent().Headers ?? []).toEqual([]);
  });

  it('read the key once for all the emails this container sent', () => {
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });
});

describe('a message its sender left sending', () => {
  const now = new Date('2026-03-01T12:00:00Z');
  let restoreClock: () => void;
  beforeEach(() => {
    restoreClock = useClock(() => now);
    loads({ client: { ...items.client, consent: { email: true, sms: true } } });
    dynamo.on(UpdateCommand).resolves({});
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-new' });
    sns.on(PublishCommand).resolves({ MessageId: 'sns-new' });
  });
  afterEach(() => restoreClock());
  const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();

  it('leaves it to its sender while the lease lasts: nothing sent, the request comes back later', async () => {
    dynamo.on(PutCommand).rejects(stored({ status: 'sending', leaseUntil: new Date(now.getTime() + 5_000).toISOString() }));
    const result = await handler({ Records: [sqsRecord(intent())] }, lambdaContext);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
    expect(transitions()).toEqual([]);
  });

  it('settles it as sent, without sending again, when SES reported taking it', async () => {
    const lease = ago(60_000);
    dynamo.on(PutCommand).rejects(stored({ status: 'sending', leaseUntil: lease, providerAccepted: true, providerMessageId: 'ses-old' }));
    const result = await handler({ Records: [sqsRecord(intent(), 2)] }, lambdaContext);
    expect(result.batchItemFailures).toEqual([]);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
    const [update] = transitions();
    expect(update!.ExpressionAttributeValues).toMatchObject({ ':held': lease, ':sending': 'sending' });
    expect(changesOf(update!)).toMatchObject({ status: 'sent', providerMessageId: 'ses-old', settledBy: 'evidence' });
  });

  it('waits for SES’s Send event while it may still be on its way', async () => {
    dynamo.on(PutCommand).rejects(stored({ status: 'sending', leaseUntil: ago(1_000), updatedAt: ago(30_000) }));
    const result = await handler({ Records: [sqsRecord(intent(), 2)] }, lambdaContext);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm-2' }]);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
    expect(transitions()).toEqual([]);
  });

  it('takes it over and sends it once SES has had time to report it and did not: it never took it', async () => {
    const lease = ago(10 * 60_000);
    dynamo.on(PutCommand).rejects(stored({ status: 'sending', leaseUntil: lease, updatedAt: ago(11 * 60_000) }));
    const result = await handler({ Records: [sqsRecord(intent(), 2)] }, lambdaContext);
    expect(result.batchItemFailures).toEqual([]);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    const [takeover, sent] = transitions();
    expect(takeover!.ExpressionAttributeValues).toMatchObject({ ':held': lease });
    const newLease = changesOf(takeover!).leaseUntil as string;
    expect(Date.parse(newLease)).toBeGreaterThan(now.getTime());
    expect(sent!.ExpressionAttributeValues).toMatchObject({ ':held': newLease });
    expect(changesOf(sent!)).toMatchObject({ status: 'sent', providerMessageId: 'ses-new' });
  });

  it('records an SMS as unknown, never sent twice: SNS keeps no record that could tell', async () => {
    const sms = intent({ id: 'booking.B1.v1.system.booking_confirmation.sms', ruleId: 'system.booking_confirmation.sms', channel: 'sms' });
    dynamo.on(PutCommand).rejects(stored({ status: 'sending', channel: 'sms', leaseUntil: ago(60_000) }));
    const result = await handler({ Records: [sqsRecord(sms, 2)] }, lambdaContext);
    expect(result.batchItemFailures).toEqual([]);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect(changesOf(transitions()[0]!)).toMatchObject({ status: 'unknown', reason: expect.stringContaining('unknown: SNS keeps no record') });
  });

  it('keeps it sending, with its lease ended, when the provider’s answer was lost; on the last receive it is unknown', async () => {
    dynamo.on(PutCommand).resolves({});
    ses.on(SendEmailCommand).rejects(Object.assign(new Error('socket hang up'), { name: 'TimeoutError', $metadata: {} }));
    const first = await handler({ Records: [sqsRecord(intent(), 1)] }, lambdaContext);
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
    const changes = changesOf(transitions()[0]!);
    expect(changes).not.toHaveProperty('status');
    expect(changes).toMatchObject({ leaseUntil: now.toISOString(), reason: expect.stringContaining('TimeoutError') });

    dynamo.resetHistory();
    const last = await handler({ Records: [sqsRecord(intent(), 3)] }, lambdaContext);
    expect(last.batchItemFailures).toEqual([]);
    expect(changesOf(transitions()[0]!)).toMatchObject({ status: 'unknown', reason: expect.stringContaining("unknown: the provider's answer was lost") });
  });

  it('ties the lease to the invocation’s remaining time, and calls no provider without time to finish', async () => {
    dynamo.on(PutCommand).resolves({});
    await handler({ Records: [sqsRecord(intent())] }, lambdaContext);
    // 10 s left in the invocation, less the margin kept to record the outcome.
    expect(claimed()[0]!.leaseUntil).toBe(new Date(now.getTime() + 7_000).toISOString());

    dynamo.resetHistory();
    ses.resetHistory();
    const almostOver = { ...lambdaContext, getRemainingTimeInMillis: () => 4_000 };
    const result = await handler({ Records: [sqsRecord(intent())] }, almostOver);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
    expect(changesOf(transitions()[0]!)).toMatchObject({ status: 'retrying', reason: expect.stringContaining('not attempted') });
  });
});

describe('correlation ids and metrics', () => {
  it('logs the provider call with the correlation id of the request, and tags the email with it', async () => {
    const { logger } = await import('#logger');
    const info = vi.spyOn(logger, 'info');
    try {
      loads();
      dynamo.on(PutCommand).resolves({});
      dynamo.on(UpdateCommand).resolves({});
      ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
      await handler({ Records: [sqsRecord(intent({ correlationId: 'req-4f1c2a9b' }))] }, lambdaContext);
      expect(ses.commandCalls(SendEmailCommand)[0]!.args[0].input.EmailTags).toContainEqual({ Name: 'correlation', Value: 'req-4f1c2a9b' });
      expect(info).toHaveBeenCalledWith('provider accepted', expect.objectContaining({ channel: 'email', messageId: intent().id, correlationId: 'req-4f1c2a9b', providerMessageId: 'ses-1' }));
      expect(info).toHaveBeenCalledWith('delivery', expect.objectContaining({ outcome: 'sent', correlationId: 'req-4f1c2a9b' }));
    } finally {
      info.mockRestore();
    }
  });

  it('counts each settled message by channel, type, outcome and the leading code of its reason (in Lambda only)', async () => {
    const { metrics, metricNames } = await import('#metrics');
    const emitted: Record<string, string>[] = [];
    const single = vi.spyOn(metrics, 'singleMetric').mockImplementation(() => {
      const dimensions: Record<string, string> = {};
      const fake = {
        addDimension: (name: string, value: string) => ((dimensions[name] = value), fake),
        addMetric: (name: string) => (emitted.push({ metric: name, ...dimensions }), fake),
      };
      return fake as unknown as ReturnType<typeof metrics.singleMetric>;
    });
    try {
      loads({ booking: { ...items.booking, status: 'cancelled', version: 2 } });
      dynamo.on(PutCommand).resolves({});
      await handler({ Records: [sqsRecord(intent())] }, lambdaContext);
      expect(emitted).toEqual([]);
      vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'delivery');
      await handler({ Records: [sqsRecord(intent())] }, lambdaContext);
      expect(emitted).toEqual([{ metric: metricNames.messages, channel: 'email', messageType: 'booking_confirmation', outcome: 'not_sent', reason: 'stale' }]);
    } finally {
      single.mockRestore();
      vi.unstubAllEnvs();
    }
  });
});
