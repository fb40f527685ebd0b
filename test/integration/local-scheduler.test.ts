/**
 * The local scheduler against DynamoDB Local: the adapter behind the scheduler port, the schedule
 * runner that fires it onto the delivery queue, and the messaging harness built on both.
 */
import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clock } from '#adapters/clock.ts';
import { createDocumentClient } from '#adapters/dynamodb/record-store.ts';
import { localScheduler, type LocalScheduler } from '#local/adapters/dynamodb-scheduler.ts';
import type { DeliveryQueue, ScheduledDelivery } from '#domain/messages/ports.ts';
import { ensureSchedulesTable } from '#local/dynamodb-local.ts';
import { startScheduleRunner, type ScheduleRunner, type ScheduleRunnerLogEntry, type ScheduleRunnerOptions } from '#local/schedule-runner.ts';
import { localDynamoDbClient, startApi } from './local-stack.ts';

let client: DynamoDBClient;
let scheduler: LocalScheduler;
const tableName = `schedules-test-${randomUUID().slice(0, 8)}`;
const runners: ScheduleRunner[] = [];

beforeAll(async () => {
  client = localDynamoDbClient();
  expect(await ensureSchedulesTable(client, tableName)).toEqual({ created: true });
  expect(await ensureSchedulesTable(client, tableName)).toEqual({ created: false });
  scheduler = localScheduler(createDocumentClient(client), tableName);
});
afterEach(async () => {
  await Promise.all(runners.splice(0).map((runner) => runner.stop()));
  await scheduler.disarm((await scheduler.list()).map((schedule) => schedule.name));
});
afterAll(async () => {
  await client.send(new DeleteTableCommand({ TableName: tableName }));
  client.destroy();
});

const schedule = (name: string, at: Date | string, body: object = { name }): ScheduledDelivery => ({
  name,
  at: typeof at === 'string' ? at : at.toISOString(),
  body: JSON.stringify(body),
});
const inMs = (ms: number): Date => new Date(Date.now() + ms);

/** A delivery queue that records what it got and when. */
function recordingQueue(onEnqueue?: (body: string) => Promise<void>) {
  const received: Array<{ id: string; body: string; receivedAt: number }> = [];
  const queue: DeliveryQueue = {
    async enqueue(messages) {
      for (const { id, body } of messages) {
        await onEnqueue?.(body);
        received.push({ id, body, receivedAt: Date.now() });
      }
    },
  };
  return { queue, received };
}

function runner(options: Omit<ScheduleRunnerOptions, 'scheduler'>): ScheduleRunner {
  const started = startScheduleRunner({ scheduler, log: false, ...options });
  runners.push(started);
  return started;
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not done within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('localScheduler', () => {
  it('arms, lists, replaces by name and disarms', async () => {
    const first = schedule('booking.B1.reminder', '2026-03-28T08:00:00.000Z');
    const second = schedule('booking.B2.reminder', '2026-03-27T08:00:00.000Z');
    await scheduler.arm([first, second]);
    expect(await scheduler.list()).toEqual([second, first]);

    const moved = schedule('booking.B1.reminder', '2026-03-29T08:00:00.000Z', { moved: true });
    await scheduler.arm([moved]);
    expect(await scheduler.list()).toEqual([second, moved]);

    await scheduler.disarm([second.name, 'never-armed']);
    expect(await scheduler.list()).toEqual([moved]);
  });

  it('finds what is due by instant, whatever the offset or precision of `at`', async () => {
    const early = schedule('early', '2026-03-28T09:59:59+01:00');
    const exact = schedule('exact', '2026-03-28T09:00:00Z');
    const later = schedule('later', '2026-03-28T09:00:00.001Z');
    await scheduler.arm([later, exact, early]);

    expect(await scheduler.due(new Date('2026-03-28T09:00:00.000Z'))).toEqual([early, exact]);
    expect(await scheduler.due(new Date('2026-03-28T08:00:00.000Z'))).toEqual([]);
  });

  it('refuses a time that is not an instant', async () => {
    await expect(scheduler.arm([schedule('bad', 'next tuesday')])).rejects.toThrow('not an ISO instant');
  });

  it('completes a fired schedule, but not one re-armed or disarmed since', async () => {
    const fired = schedule('s1', '2026-03-28T08:00:00.000Z');
    await scheduler.arm([fired, schedule('s2', '2026-03-28T08:00:00.000Z')]);
    await scheduler.complete(fired);
    expect((await scheduler.list()).map((s) => s.name)).toEqual(['s2']);

    const [s2] = await scheduler.due(new Date('2026-03-28T08:00:00.000Z'));
    const rearmed = schedule('s2', '2026-03-28T08:00:00.000Z', { version: 2 });
    await scheduler.arm([rearmed]);
    await scheduler.complete(s2!);
    expect(await scheduler.list()).toEqual([rearmed]);

    await scheduler.disarm(['s2']);
    await expect(scheduler.complete(rearmed)).resolves.toBeUndefined();
  });

  it('reads past a page: every due schedule, oldest first', async () => {
    const body = { padding: 'x'.repeat(50_000) }; // ~50 KB each: a 1 MB scan page holds about 20
    const many = Array.from({ length: 30 }, (_, index) => schedule(`bulk-${String(index).padStart(2, '0')}`, new Date(Date.UTC(2026, 0, 1, 0, index)), body));
    await scheduler.arm(many);
    expect((await scheduler.due(new Date('2026-06-01T00:00:00Z'))).map((s) => s.name)).toEqual(many.map((s) => s.name));
  });
});

describe('the schedule runner', () => {
  it('fires a due schedule within a second of its time, with exactly the armed body, and completes it', async () => {
    const { queue, received } = recordingQueue();
    const log: ScheduleRunnerLogEntry[] = [];
    const started = runner({ queue, log: (entry) => log.push(entry) });
    const armed = schedule('soon', inMs(400), { tenantId: 'acme', text: 'Recordatorio: mañana 10:00 ✂️' });
    await scheduler.arm([armed]);

    await waitFor(() => received.length > 0, 3_000);
    expect(received).toEqual([{ id: 'soon', body: armed.body, receivedAt: expect.any(Number) }]);
    const late = received[0]!.receivedAt - Date.parse(armed.at);
    expect(late).toBeGreaterThanOrEqual(0);
    expect(late).toBeLessThan(1_000);
    await started.idle();
    expect(log.find((entry) => entry.event === 'fire')).toMatchObject({ source: 'scheduler', name: 'soon', at: armed.at });
    expect(await scheduler.list()).toEqual([]);
  });

  it('does not fire a schedule armed for later', async () => {
    const { queue, received } = recordingQueue();
    const started = runner({ queue, intervalMs: 50 });
    const later = schedule('later', inMs(3_600_000));
    await scheduler.arm([later]);
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(await started.fireDue()).toBe(0);
    expect(received).toEqual([]);
    expect(await scheduler.list()).toEqual([later]);
  });

  it('fires by an injected clock without waiting', async () => {
    const { queue, received } = recordingQueue();
    let now = new Date('2026-03-27T08:00:00.000Z');
    const started = runner({ queue, now: () => now, intervalMs: false });
    const reminder = schedule('reminder', '2026-03-28T08:00:00.000Z');
    await scheduler.arm([reminder]);

    expect(await started.fireDue()).toBe(0);
    now = new Date('2026-03-28T08:00:00.000Z');
    expect(await started.fireDue()).toBe(1);
    expect(received.map(({ id, body }) => ({ id, body }))).toEqual([{ id: 'reminder', body: reminder.body }]);
    expect(await started.fireDue()).toBe(0);
  });

  it('keeps a schedule re-armed at a new time while it fired', async () => {
    const moved = schedule('booking.B1.reminder', '2026-03-29T08:00:00.000Z');
    const { queue, received } = recordingQueue(async (body) => {
      // The booking is rescheduled between the schedule being read and completed.
      if (received.length === 0) await scheduler.arm([moved]);
      expect(body).toBe(original.body);
    });
    const original = schedule('booking.B1.reminder', '2026-03-28T08:00:00.000Z');
    await scheduler.arm([original]);
    const started = runner({ queue, now: () => new Date('2026-03-28T12:00:00.000Z'), intervalMs: false });

    expect(await started.fireDue()).toBe(1);
    expect(await scheduler.list()).toEqual([moved]);
  });

  it('leaves a schedule the queue refused for the next pass', async () => {
    let refuse = true;
    const { queue, received } = recordingQueue(async () => {
      if (refuse) throw new Error('No local delivery consumer is running');
    });
    const log: ScheduleRunnerLogEntry[] = [];
    const started = runner({ queue, now: () => new Date('2026-03-28T12:00:00.000Z'), intervalMs: false, log: (entry) => log.push(entry) });
    await scheduler.arm([schedule('s', '2026-03-28T08:00:00.000Z')]);

    expect(await started.fireDue()).toBe(0);
    expect(log).toMatchObject([{ source: 'scheduler', event: 'fire-failed', name: 's', error: 'Error: No local delivery consumer is running' }]);
    refuse = false;
    expect(await started.fireDue()).toBe(1);
    expect(received.map((message) => message.id)).toEqual(['s']);
  });

  it('runs one pass at a time, so a schedule fires once', async () => {
    const { queue, received } = recordingQueue(() => new Promise((resolve) => setTimeout(resolve, 30)));
    const started = runner({ queue, now: () => new Date('2026-03-28T12:00:00.000Z'), intervalMs: false });
    await scheduler.arm([schedule('a', '2026-03-28T08:00:00.000Z'), schedule('b', '2026-03-28T08:00:00.000Z')]);

    expect(await Promise.all([started.fireDue(), started.fireDue(), started.fireDue()])).toEqual([2, 0, 0]);
    await started.idle();
    expect(received.map((message) => message.id)).toEqual(['a', 'b']);
  });
});

describe('the messaging harness', () => {
  it('arms through the wiring, lists, fires by its clock into delivery, and cleans up on close', async () => {
    const { messageScheduler } = await import('#wiring');
    let now = new Date('2026-03-27T08:00:00.000Z');
    const delivered: SQSEvent[] = [];
    const api = await startApi({
      messaging: {
        clock: () => now,
        delivery: async (event) => {
          delivered.push(event);
        },
      },
    });
    try {
      expect(clock.now()).toEqual(now);
      const reminder = schedule('booking.B1.reminder', '2026-03-28T08:00:00.000Z', { tenantId: 'acme' });
      await messageScheduler().arm([reminder]);
      expect(await api.schedules()).toEqual([reminder]);

      expect(await api.fireDueSchedules()).toBe(0);
      now = new Date('2026-03-28T08:00:00.000Z');
      expect(await api.fireDueSchedules()).toBe(1);
      expect(delivered.flatMap((event) => event.Records.map((record) => record.body))).toEqual([reminder.body]);
      expect(await api.schedules()).toEqual([]);

      await messageScheduler().arm([schedule('left-over', '2026-04-01T00:00:00.000Z')]);
    } finally {
      await api.close();
    }
    expect(clock.now()).not.toEqual(now);

    const next = await startApi({ messaging: true });
    try {
      expect(await next.schedules()).toEqual([]);
    } finally {
      await next.close();
    }
  });
});
