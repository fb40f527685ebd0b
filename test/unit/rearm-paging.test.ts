import { describe, expect, it } from 'vitest';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { evaluateStream, type EvaluatorDeps } from '#services/evaluate-stream.ts';
import { DomainError } from '#domain/errors.ts';
import { defaultAutomatedMessages } from '#domain/messages/rules.ts';
import type { RearmJob } from '#domain/messages/rearm.ts';
import type { ListQuery, RecordStore } from '#domain/record-store.ts';

/**
 * Re-arming a large business after a place edit, with fakes that count: 500 bookings at a location
 * whose hours change, two business-hours reminders by email and SMS (four schedules a booking).
 * Every page stays within the documented bound of Scheduler calls, a failing page is retried by the
 * stream, and at the end every booking's four schedules are at the new opening.
 */
const tenant = 'big';
const now = new Date('2026-04-01T09:00:00Z');
const storedAt = { createdAt: '2026-03-01T00:00:00.000Z', updatedAt: '2026-03-01T00:00:00.000Z' };
const hoursFrom = (open: string) => {
  const day = [{ open, close: '19:00' }];
  return { mon: day, tue: day, wed: day, thu: day, fri: day, sat: [], sun: [] };
};
const location = (version: number, open: string) => ({ id: 'L1', version, name: 'Centro', timeZone: 'Europe/Madrid', businessHours: hoursFrom(open), ...storedAt, updatedAt: `2026-04-01T0${version}:00:00.000Z` });
// Tuesday 14 April 12:00 in Madrid (CEST, +02:00) is 10:00Z; 3 and 2 hours before are 09:00 and 10:00 local,
// both open from 09:00; from 11:00 (09:00Z) both move to the opening.
const bookings = Array.from({ length: 500 }, (_, i) => ({
  id: `B${String(i).padStart(3, '0')}`,
  version: 1,
  clientId: 'C1',
  locationId: 'L1',
  service: 'Corte',
  status: 'confirmed',
  start: '2026-04-14T12:00:00+02:00',
  end: '2026-04-14T12:30:00+02:00',
  ...storedAt,
}));
const reminder = (hours: number) => ({ before: { amount: hours, unit: 'hours' as const }, sms: true, businessHoursOnly: true });

/** The documented bound (README, "Place edits re-arm"): Scheduler calls, arm and disarm, per page. */
const schedulerCallsPerPage = 100;

let sequence = 1;
function streamRecord(kind: string, previous: object | undefined, current: object): DynamoDBRecord {
  const image = (value: object) => marshall({ kind, tenantId: tenant, ...value }, { removeUndefinedValues: true }) as never;
  return {
    eventID: `e${sequence}`,
    eventName: previous ? 'MODIFY' : 'INSERT',
    dynamodb: { SequenceNumber: String(sequence++), ...(previous ? { OldImage: image(previous) } : {}), NewImage: image(current), StreamViewType: 'NEW_AND_OLD_IMAGES' },
  };
}

describe('re-arming a large business after a place edit', () => {
  it('goes page by page within the bound of Scheduler calls, retries a failed page, and drops nothing', async () => {
    const armed = new Map<string, string>();
    let calls = 0;
    let failNextArm = false;
    const jobs = new Map<string, RearmJob>();
    const pending: RearmJob[] = [];
    const store = {
      async list(_tenantId: string, kind: string, query: ListQuery) {
        expect(kind).toBe('booking');
        const from = Number(query.cursor ?? 0);
        const items = bookings.slice(from, from + query.limit);
        return { items, nextCursor: from + query.limit < bookings.length ? String(from + query.limit) : null };
      },
      async put(_tenantId: string, kind: string, record: RearmJob, options: { expected: unknown }) {
        expect([kind, options.expected]).toEqual(['rearm', 'absent']);
        if (jobs.has(record.id)) throw new DomainError('version_mismatch', `rearm ${record.id} exists`);
        jobs.set(record.id, record);
        pending.push(record);
      },
    } as unknown as RecordStore;
    const deps: EvaluatorDeps = {
      loadRules: async () => ({ custom: [], automated: { ...defaultAutomatedMessages, bookingReminders: [reminder(3), reminder(2)] } }),
      store,
      queue: { enqueue: async (bodies) => expect(bodies).toEqual([]) },
      scheduler: {
        async arm(schedules) {
          calls += schedules.length;
          if (failNextArm) {
            failNextArm = false;
            throw new Error('ThrottlingException');
          }
          for (const schedule of schedules) armed.set(schedule.name, schedule.at);
        },
        async disarm(names) {
          calls += names.length;
          for (const name of names) armed.delete(name);
        },
      },
      messages: { schedule: async () => {}, cancel: async () => {}, upcomingForClient: async () => [] },
      now: () => now,
    };

    const edit = await evaluateStream([streamRecord('location', location(1, '09:00'), location(2, '11:00'))], deps);
    expect(edit.batchItemFailures).toEqual([]);
    expect(calls).toBe(0);

    const perPage: number[] = [];
    let retried = 0;
    while (pending.length > 0) {
      const job = pending.shift()!;
      const record = streamRecord('rearm', undefined, job);
      // The third page's arming fails once: the stream gives the same record again.
      if (job.page === 3 && retried === 0) failNextArm = true;
      let result;
      do {
        calls = 0;
        result = await evaluateStream([record], deps);
        perPage.push(calls);
        if (result.batchItemFailures.length > 0) retried++;
      } while (result.batchItemFailures.length > 0);
    }

    expect(retried).toBe(1);
    expect(Math.max(...perPage)).toBeLessThanOrEqual(schedulerCallsPerPage);
    // Every booking's four schedules, each once, at the new opening: 11:00 CEST is 09:00Z.
    expect(armed.size).toBe(500 * 4);
    expect(new Set(armed.values())).toEqual(new Set(['2026-04-14T09:00:00.000Z']));
    expect([...jobs.values()].every((job) => job.place?.locationId === 'L1')).toBe(true);
  });
});
