import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { BatchGetCommand, DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateScheduleCommand, DeleteScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { useClock } from '#adapters/clock.ts';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { lambdaContext } from '../support/api-event.ts';
import { DeliveryRequest, intentsOf } from '#domain/messages/message-intent.ts';
import { rearmJobs } from '#domain/messages/rearm.ts';
import { parseRecord } from '#domain/record-kinds.ts';
import { messageIdOf, scheduleNameOf } from '#domain/identities.ts';

const dynamo = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
const scheduler = mockClient(SchedulerClient);
let handler: (typeof import('#lambdas/rule-evaluator.ts'))['handler'];

beforeAll(async () => {
  process.env.TABLE_NAME = 'records';
  process.env.DELIVERY_QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/000000000000/delivery';
  Object.assign(process.env, {
    SCHEDULE_GROUP: 'messages',
    SCHEDULE_TARGET_ARN: 'arn:aws:sqs:eu-west-1:000000000000:delivery',
    SCHEDULER_ROLE_ARN: 'arn:aws:iam::000000000000:role/scheduler',
    SCHEDULE_DEAD_LETTER_ARN: 'arn:aws:sqs:eu-west-1:000000000000:schedule-dead-letters',
    SCHEDULE_RETRY_ATTEMPTS: '10',
    SCHEDULE_MAX_EVENT_AGE_SECONDS: '3600',
  });
  ({ handler } = await import('#lambdas/rule-evaluator.ts'));
});
beforeEach(() => {
  dynamo.reset();
  sqs.reset();
  scheduler.reset();
});

let sequence = 100;
function streamRecord(kind: string, tenantId: string, previous: object | undefined, current: object | undefined): DynamoDBRecord {
  const image = (value: object) => marshall({ kind, tenantId, ...value }, { removeUndefinedValues: true }) as never;
  return {
    eventID: `e${sequence}`,
    eventName: previous ? 'MODIFY' : 'INSERT',
    eventSource: 'aws:dynamodb',
    dynamodb: {
      SequenceNumber: String(sequence++),
      ...(previous ? { OldImage: image(previous) } : {}),
      ...(current ? { NewImage: image(current) } : {}),
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}
/** Stored items carry their creation and last change; the bookings here were made before the rules edits below. */
const storedAt = { createdAt: '2026-02-01T00:00:00.000Z', updatedAt: '2026-02-01T00:00:00.000Z' };
/** A stored item's record: what the store reads, the table's own attributes left out. */
const withoutKeys = ({ pk: _pk, sk: _sk, kind: _kind, ...record }: Record<string, unknown>) => record;
const booking = { id: 'B1', version: 1, clientId: 'C1', locationId: 'L1', service: 'Corte', status: 'confirmed', start: '2026-03-29T10:00:00+02:00', end: '2026-03-29T10:30:00+02:00', ...storedAt };
const sentRequests = () => sqs.commandCalls(SendMessageBatchCommand).flatMap((call) => call.args[0].input.Entries!.map((entry) => DeliveryRequest.parse(JSON.parse(entry.MessageBody!))));
const sentBodies = () => sentRequests().flatMap(intentsOf);

describe('evaluator', () => {
  it('reads each tenant’s rules once per batch and queues one message per matching rule', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [] });
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const records = [
      streamRecord('booking', 'acme', undefined, booking),
      streamRecord('booking', 'acme', undefined, { ...booking, id: 'B2' }),
      streamRecord('invoice', 'other', { id: 'I1', version: 1, clientId: 'C9', status: 'draft' }, { id: 'I1', version: 2, clientId: 'C9', status: 'issued' }),
      streamRecord('booking', 'acme', booking, { ...booking, version: 2, service: 'Tinte' }),
    ];
    const result = await handler({ Records: records }, lambdaContext);
    expect(result.batchItemFailures).toEqual([]);
    expect(dynamo.commandCalls(QueryCommand).map((call) => call.args[0].input.ExpressionAttributeValues![':pk']).sort()).toEqual(['T#acme', 'T#other']);
    expect(sentBodies().map((body) => body.id)).toEqual([
      'booking.B1.v1.system.booking_confirmation.email',
      'booking.B2.v1.system.booking_confirmation.email',
      'invoice.I1.v2.system.invoice_issued.email',
    ]);
  });

  it('applies the tenant’s settings page and custom rules from the same query', async () => {
    dynamo.on(QueryCommand).resolves({
      Items: [
        { pk: 'T#acme', sk: 'ruleSettings#current', kind: 'ruleSettings', bookingConfirmation: { sms: true }, bookingStatus: { pending: { email: true, sms: false }, confirmed: { email: true, sms: false }, rejected: { email: true, sms: false }, cancelled: { email: false, sms: false }, rescheduled: { email: true, sms: false } }, newInvoice: { sms: false }, newEstimate: { sms: false }, autoReplies: { message: { enabled: false }, document: { enabled: false }, contactForm: { enabled: false } } },
        { pk: 'T#acme', sk: 'rule#R1', kind: 'rule', id: 'R1', name: 'Ready', trigger: { entity: 'booking', on: 'status_changed', toStatus: 'cancelled' }, audience: 'business', channel: 'email', template: 'booking_cancelled', locations: ['L2'], businessHoursOnly: false, enabled: true },
      ],
    });
    sqs.on(SendMessageBatchCommand).resolves({});
    await handler({ Records: [streamRecord('booking', 'acme', undefined, booking), streamRecord('booking', 'acme', booking, { ...booking, version: 2, status: 'cancelled' })] }, lambdaContext);
    // SMS confirmation switched on; cancellation email switched off; the custom rule is for another location.
    expect(sentBodies().map((body) => body.ruleId)).toEqual(['system.booking_confirmation.email', 'system.booking_confirmation.sms']);
    // Both messages about the booking travel in one queue message.
    expect(sentRequests()).toHaveLength(1);
  });

  it('reports only the records it could not handle, and handles the rest', async () => {
    dynamo.on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'T#broken', ':prefix': 'rule' } }).rejects(new Error('throttled'));
    dynamo.on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'T#acme', ':prefix': 'rule' } }).resolves({ Items: [] });
    sqs.on(SendMessageBatchCommand).resolves({});
    const broken = streamRecord('booking', 'broken', undefined, booking);
    const fine = streamRecord('booking', 'acme', undefined, booking);
    const result = await handler({ Records: [fine, broken] }, lambdaContext);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: broken.dynamodb!.SequenceNumber }]);
    expect(sentBodies()).toHaveLength(1);
  });

  it('fails the records whose messages could not be queued', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [] });
    sqs.on(SendMessageBatchCommand).resolves({ Failed: [{ Id: '0', Code: 'InternalError', SenderFault: false }] });
    const record = streamRecord('booking', 'acme', undefined, booking);
    const ignored = streamRecord('message', 'acme', undefined, { id: 'M1', version: 1 });
    const result = await handler({ Records: [ignored, record] }, lambdaContext);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: record.dynamodb!.SequenceNumber }]);
  });
});

describe('evaluator, auto-replies', () => {
  const page = (contactForm: boolean) => ({
    pk: 'T#acme',
    sk: 'ruleSettings#current',
    kind: 'ruleSettings',
    autoReplies: { message: { enabled: true }, document: { enabled: false }, contactForm: { enabled: contactForm, text: 'Gracias, {{ client.firstName }}.' } },
  });
  const contactForm = { id: 'M1', version: 1, clientId: 'C1', direction: 'inbound', channel: 'web', messageType: 'contact_form', audience: 'client', status: 'received', attempts: 0, replyChannel: 'email', replyTo: 'ana@example.com', fields: { f1: 'x' }, text: 'Hola', ...storedAt };

  it('queues one reply for an inbound item, on its reply channel, about the item', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [page(true)] });
    sqs.on(SendMessageBatchCommand).resolves({});
    const texted = { ...contactForm, id: 'M2', messageType: 'client_message', replyChannel: 'sms', replyTo: '+34612345678' };
    const result = await handler({ Records: [streamRecord('message', 'acme', undefined, contactForm), streamRecord('message', 'acme', undefined, texted)] }, lambdaContext);
    expect(result.batchItemFailures).toEqual([]);
    expect(sentBodies()).toMatchObject([
      { id: 'message.M1.v1.system.auto_reply_contact_form.email', messageType: 'auto_reply_contact_form', channel: 'email', entity: { kind: 'message', id: 'M1', version: 1 }, clientId: 'C1', expected: { status: 'received' } },
      { id: 'message.M2.v1.system.auto_reply_message.sms', messageType: 'auto_reply_message', channel: 'sms' },
    ]);
  });

  it('queues nothing when the reply is off, for a booking request, for outbound messages or for a later write of the item', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [page(false)] });
    sqs.on(SendMessageBatchCommand).resolves({});
    const outbound = { id: 'message.B1.v1.system.booking_confirmation.email', version: 1, clientId: 'C1', direction: 'outbound', channel: 'email', messageType: 'booking_confirmation', status: 'sending' };
    const result = await handler(
      {
        Records: [
          streamRecord('message', 'acme', undefined, contactForm),
          streamRecord('message', 'acme', undefined, { ...contactForm, id: 'M3', messageType: 'booking_request' }),
          streamRecord('message', 'acme', undefined, outbound),
          streamRecord('message', 'acme', outbound, { ...outbound, status: 'sent' }),
          streamRecord('message', 'acme', { ...contactForm, messageType: 'client_message' }, { ...contactForm, messageType: 'client_message', version: 2 }),
        ],
      },
      lambdaContext,
    );
    expect(result.batchItemFailures).toEqual([]);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
  });
});

describe('evaluator, timed messages', () => {
  const settingsPage = {
    pk: 'T#acme',
    sk: 'ruleSettings#current',
    kind: 'ruleSettings',
    id: 'current',
    version: 1,
    ...storedAt,
    bookingReminders: [
      { before: { amount: 1, unit: 'days' }, sms: false },
      { before: { amount: 2, unit: 'hours' }, sms: false },
    ],
  };
  const at = (input: unknown) => (input as { ScheduleExpression: string }).ScheduleExpression;

  it('arms one schedule per reminder in the location’s zone, and disarms them on cancel, with the same names', async () => {
    const restore = useClock(() => new Date('2026-03-20T12:00:00Z'));
    dynamo.on(QueryCommand).resolves({ Items: [settingsPage] });
    dynamo.on(BatchGetCommand).resolves({ Responses: { records: [{ kind: 'location', id: 'L1', version: 1, timeZone: 'Europe/Madrid', name: 'Centro', ...storedAt }] } });
    sqs.on(SendMessageBatchCommand).resolves({});
    scheduler.on(CreateScheduleCommand).resolves({});
    scheduler.on(DeleteScheduleCommand).resolves({});
    // Each armed reminder is first recorded as a scheduled message, and cancelled when disarmed.
    dynamo.on(PutCommand).resolves({});
    dynamo.on(UpdateCommand).resolves({});
    try {
      await handler({ Records: [streamRecord('booking', 'acme', undefined, { ...booking, updatedAt: '2026-03-20T12:00:00.000Z' })] }, lambdaContext);
      const scheduled = dynamo.commandCalls(PutCommand).map((call) => call.args[0].input.Item!).filter((item) => item.status === 'scheduled');
      expect(scheduled.map((item) => item.dueAt).sort()).toEqual(['2026-03-28T09:00:00.000Z', '2026-03-29T06:00:00.000Z']);
      const created = scheduler.commandCalls(CreateScheduleCommand).map((call) => call.args[0].input);
      // 1 day before 10:00 on the day summer time starts in Madrid is 10:00 CET the day before.
      expect(created.map(at).sort()).toEqual(['at(2026-03-28T09:00:00)', 'at(2026-03-29T06:00:00)']);
      expect(created.every((input) => input.GroupName === 'messages' && input.Target?.Arn === process.env.SCHEDULE_TARGET_ARN)).toBe(true);

      await handler({ Records: [streamRecord('booking', 'acme', booking, { ...booking, version: 2, status: 'cancelled' })] }, lambdaContext);
      expect(scheduler.commandCalls(DeleteScheduleCommand).map((call) => call.args[0].input.Name).sort()).toEqual(created.map((input) => input.Name).sort());
    } finally {
      restore();
    }
  });

  it('does not fail the record when a schedule cannot be deleted: delivery finds it stale', async () => {
    const restore = useClock(() => new Date('2026-03-20T12:00:00Z'));
    dynamo.on(QueryCommand).resolves({ Items: [settingsPage] });
    dynamo.on(BatchGetCommand).resolves({ Responses: {} });
    dynamo.on(UpdateCommand).resolves({});
    sqs.on(SendMessageBatchCommand).resolves({});
    scheduler.on(DeleteScheduleCommand).rejects(new Error('throttled'));
    try {
      const result = await handler({ Records: [streamRecord('booking', 'acme', booking, { ...booking, version: 2, status: 'cancelled' })] }, lambdaContext);
      expect(result.batchItemFailures).toEqual([]);
      expect(scheduler.commandCalls(DeleteScheduleCommand)).toHaveLength(2);
    } finally {
      restore();
    }
  });

  it('fails the record when its schedules cannot be armed, so the retry arms them', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [settingsPage] });
    dynamo.on(BatchGetCommand).resolves({ Responses: {} });
    sqs.on(SendMessageBatchCommand).resolves({});
    scheduler.on(CreateScheduleCommand).rejects(new Error('throttled'));
    const record = streamRecord('booking', 'acme', undefined, { ...booking, start: '2099-01-01T10:00:00Z', end: '2099-01-01T11:00:00Z' });
    const result = await handler({ Records: [record] }, lambdaContext);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: record.dynamodb!.SequenceNumber }]);
  });

  it('starts re-arming when the settings page changes a reminder, with a job item named by the edit', async () => {
    dynamo.on(PutCommand).resolves({});
    const before = { ...settingsPage, id: 'current', version: 1, bookingReminders: [settingsPage.bookingReminders[0]] };
    const after = { ...settingsPage, id: 'current', version: 2 };
    const result = await handler({ Records: [streamRecord('ruleSettings', 'acme', before, after)] }, lambdaContext);
    expect(result.batchItemFailures).toEqual([]);
    const [job] = dynamo.commandCalls(PutCommand).map((call) => call.args[0].input.Item!);
    expect(job).toMatchObject({ kind: 'rearm', id: 'current.v2.booking.p1', entity: 'booking', page: 1, before: [], after: [{ id: 'system.booking_reminder.2.email' }] });
  });

  /**
   * The settings page gained a reminder on March 1; its re-arming job runs only on March 28 at noon,
   * over one stored booking. Resolves with the evaluator's answer.
   */
  async function rearmLate(stored: object) {
    const restore = useClock(() => new Date('2026-03-28T12:00:00Z'));
    try {
      dynamo.on(QueryCommand).resolves({ Items: [settingsPage] });
      dynamo.on(QueryCommand, { IndexName: 'ByTime' }).resolves({ Items: [{ kind: 'booking', ...stored }] });
      dynamo.on(BatchGetCommand).resolves({ Responses: {} });
      sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
      const before = { ...settingsPage, id: 'current', version: 1, bookingReminders: [] };
      const after = { ...settingsPage, id: 'current', version: 2, bookingReminders: [settingsPage.bookingReminders[0]], updatedAt: '2026-03-01T00:00:00.000Z' };
      const [job] = rearmJobs({ kind: 'ruleSettings', previous: parseRecord('ruleSettings', withoutKeys(before)), current: parseRecord('ruleSettings', withoutKeys(after)) }, new Date('2026-03-28T11:59:00Z'));
      return await handler({ Records: [streamRecord('rearm', 'acme', undefined, job!)] }, lambdaContext);
    } finally {
      restore();
    }
  }

  it('re-arms as of the rules edit: a reminder that came due while the job waited goes now, not skipped as too late', async () => {
    expect((await rearmLate(booking)).batchItemFailures).toEqual([]);
    const [reminder] = sentRequests();
    expect(reminder?.timed).toMatchObject({ dueAt: '2026-03-28T08:00:00.000Z' });
    expect(reminder?.timed).not.toHaveProperty('skipped');
  });

  it('leaves a record made after the rules edit to its own insert: re-arming arms nothing for it', async () => {
    expect((await rearmLate({ ...booking, createdAt: '2026-03-02T00:00:00.000Z' })).batchItemFailures).toEqual([]);
    expect(sentRequests()).toEqual([]);
    expect(scheduler.commandCalls(CreateScheduleCommand)).toHaveLength(0);
  });
});

describe('correlation ids and metrics', () => {
  it('hands each delivery request the correlation id of the request that wrote the record, else the stream record\'s id', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [] });
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const written = streamRecord('booking', 'acme', undefined, { ...booking, correlationId: 'req-4f1c2a9b' });
    const unattributed = streamRecord('booking', 'acme', undefined, { ...booking, id: 'B2' });
    await handler({ Records: [written, unattributed] }, lambdaContext);
    expect(sentRequests().map((request) => request.correlationId)).toEqual(['req-4f1c2a9b', unattributed.eventID]);
    expect(sentBodies().map((body) => body.correlationId)).toEqual(['req-4f1c2a9b', unattributed.eventID]);
  });

  it('counts the lag from each write to its evaluation with the injected clock, and the messages it queued', async () => {
    const { metrics, metricNames } = await import('#metrics');
    const added: [string, number][] = [];
    const spy = vi.spyOn(metrics, 'addMetric').mockImplementation((name, _unit, value) => {
      added.push([name, value]);
      return metrics;
    });
    const restoreClock = useClock(() => new Date('2026-03-01T10:00:02.500Z'));
    try {
      dynamo.on(QueryCommand).resolves({ Items: [] });
      sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
      const record = streamRecord('booking', 'acme', undefined, booking);
      record.dynamodb!.ApproximateCreationDateTime = Date.parse('2026-03-01T10:00:00Z') / 1000;
      await handler({ Records: [record] }, lambdaContext);
      expect(added).toEqual([[metricNames.evaluatorLag, 2500], [metricNames.dispatched, 1]]);
    } finally {
      spy.mockRestore();
      restoreClock();
    }
  });
});

describe('evaluator, re-engagement disarmed by a new booking', () => {
  const pageWith = (mode: 'client' | 'none') => ({
    pk: 'T#acme',
    sk: 'ruleSettings#current',
    kind: 'ruleSettings',
    id: 'current',
    version: 1,
    ...storedAt,
    bookingConfirmation: { email: false, sms: false },
    reEngagement: { mode, after: { amount: 4, unit: 'weeks' }, sms: false, businessHoursOnly: false },
  });
  const nowAt = new Date('2026-03-20T12:00:00Z');
  const armed = (bookingId: string, dueAt: string, messageType = 're_engagement') => ({
    pk: 'T#acme',
    sk: `message#${messageIdOf({ about: { kind: 'booking', id: bookingId }, rule: `system.${messageType}.email`, dueAt })}`,
    kind: 'message',
    id: messageIdOf({ about: { kind: 'booking', id: bookingId }, rule: `system.${messageType}.email`, dueAt }),
    clientId: 'C1',
    direction: 'outbound',
    channel: 'email',
    messageType,
    audience: 'client',
    entity: { kind: 'booking', id: bookingId },
    status: 'scheduled',
    dueAt,
    attempts: 0,
    ...storedAt,
  });
  const byClient = () => dynamo.commandCalls(QueryCommand).filter((call) => call.args[0].input.IndexName === 'ByClient');
  const newBooking = (start = '2026-03-29T10:00:00+02:00') => streamRecord('booking', 'acme', undefined, { ...booking, start, updatedAt: nowAt.toISOString() });

  function givenReEngagement(mode: 'client' | 'none', upcoming: object[]) {
    dynamo.on(QueryCommand).resolves({ Items: [pageWith(mode)] });
    dynamo.on(QueryCommand, { IndexName: 'ByClient' }).resolves({ Items: upcoming, ScannedCount: upcoming.length });
    dynamo.on(BatchGetCommand).resolves({ Responses: {} });
    dynamo.on(PutCommand).resolves({});
    dynamo.on(UpdateCommand).resolves({});
    sqs.on(SendMessageBatchCommand).resolves({});
    scheduler.on(CreateScheduleCommand).resolves({});
    scheduler.on(DeleteScheduleCommand).resolves({});
  }

  it('with re-engagement off, a new booking reads none of the client’s messages and disarms nothing', async () => {
    const restore = useClock(() => nowAt);
    givenReEngagement('none', [armed('B0', '2026-04-10T08:45:00.000Z')]);
    try {
      expect((await handler({ Records: [newBooking()] }, lambdaContext)).batchItemFailures).toEqual([]);
      expect(byClient()).toHaveLength(0);
      expect(scheduler.commandCalls(DeleteScheduleCommand)).toHaveLength(0);
      expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
    } finally {
      restore();
    }
  });

  it('with re-engagement on, cancels the client’s other scheduled re-engagements (booked_again) and deletes their schedules, nothing else', async () => {
    const restore = useClock(() => nowAt);
    const other = armed('B0', '2026-04-10T08:45:00.000Z');
    givenReEngagement('client', [other, armed('B0', '2026-03-28T09:00:00.000Z', 'booking_reminder'), armed('B9', '2026-03-20T11:00:00.000Z')]);
    try {
      expect((await handler({ Records: [newBooking()] }, lambdaContext)).batchItemFailures).toEqual([]);
      expect(byClient().map((call) => call.args[0].input.ExpressionAttributeValues?.[':pk'])).toEqual([expect.stringContaining('C1')]);
      const cancelled = dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input);
      expect(cancelled.map((input) => [input.Key?.sk, input.ExpressionAttributeValues?.[':reason']])).toEqual([[other.sk, 'booked_again']]);
      expect(scheduler.commandCalls(DeleteScheduleCommand).map((call) => call.args[0].input.Name)).toEqual([scheduleNameOf('acme', other.id)]);
    } finally {
      restore();
    }
  });

  it('looks nothing up for a booking entered for a past date, or a change to an existing booking', async () => {
    const restore = useClock(() => nowAt);
    givenReEngagement('client', [armed('B0', '2026-04-10T08:45:00.000Z')]);
    try {
      await handler({ Records: [newBooking('2026-03-01T10:00:00+01:00'), streamRecord('booking', 'acme', booking, { ...booking, version: 2, notes: 'x' })] }, lambdaContext);
      expect(byClient()).toHaveLength(0);
      expect(scheduler.commandCalls(DeleteScheduleCommand)).toHaveLength(0);
    } finally {
      restore();
    }
  });

  it('does not fail the booking when the lookup fails: delivery still skips the re-engagement as booked again', async () => {
    const restore = useClock(() => nowAt);
    givenReEngagement('client', []);
    dynamo.on(QueryCommand, { IndexName: 'ByClient' }).rejects(new Error('throttled'));
    try {
      expect((await handler({ Records: [newBooking()] }, lambdaContext)).batchItemFailures).toEqual([]);
      expect(byClient()).toHaveLength(1);
      expect(scheduler.commandCalls(DeleteScheduleCommand)).toHaveLength(0);
    } finally {
      restore();
    }
  });
});
