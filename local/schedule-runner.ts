/**
 * The local stand-in for EventBridge Scheduler firing: every `intervalMs` it reads the local
 * scheduler's due schedules and sends each one's body, exactly as armed (the AWS target's Input), to
 * the delivery queue, then completes it (Scheduler's `ActionAfterCompletion: DELETE`). A schedule
 * is completed only once the queue has acknowledged its request, which the SQS emulator does after
 * writing it to disk: a kill in between fires it again, and delivery sends a twice-fired schedule
 * once. A schedule the queue refuses stays for the next pass, as Scheduler retries a failed target.
 */
import { clock } from '#adapters/clock.ts';
import type { LocalScheduler } from '#local/adapters/dynamodb-scheduler.ts';
import type { DeliveryQueue } from '#domain/messages/ports.ts';

export type ScheduleRunnerLogEntry = Readonly<Record<string, unknown>> & { readonly source: 'scheduler'; readonly event: string };

export interface ScheduleRunnerOptions {
  readonly scheduler: Pick<LocalScheduler, 'due' | 'complete'>;
  /** The delivery queue (SQS, through the same adapter as the evaluator). */
  readonly queue: DeliveryQueue;
  /** What "due" is measured against; defaults to the shared clock, so a replaced clock fires early. */
  readonly now?: () => Date;
  /** Time between the end of one pass and the start of the next. Default 250 ms; `false`: passes run only through `fireDue()`. */
  readonly intervalMs?: number | false;
  /** Defaults to a JSON line on stdout; `false` for silence. */
  readonly log?: ((entry: ScheduleRunnerLogEntry) => void) | false;
}

export interface ScheduleRunner {
  /** One pass now (after any pass under way); resolves with how many schedules it fired. */
  fireDue(): Promise<number>;
  /** Resolves once no pass is running or waiting. */
  idle(): Promise<void>;
  /** Stops the timer and waits for the pass under way. */
  stop(): Promise<void>;
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export function startScheduleRunner(options: ScheduleRunnerOptions): ScheduleRunner {
  const { scheduler, queue, now = clock.now, intervalMs = 250 } = options;
  const log =
    options.log === false ? () => undefined : (options.log ?? ((entry: ScheduleRunnerLogEntry) => process.stdout.write(`${JSON.stringify(entry)}\n`)));
  const emit = (event: string, fields: Record<string, unknown> = {}): void => log({ time: new Date().toISOString(), source: 'scheduler', event, ...fields });

  const pass = async (): Promise<number> => {
    const at = now();
    let fired = 0;
    for (const schedule of await scheduler.due(at)) {
      try {
        await queue.enqueue([{ id: schedule.name, body: schedule.body }]);
      } catch (error) {
        emit('fire-failed', { name: schedule.name, at: schedule.at, error: errorText(error) });
        continue;
      }
      fired++;
      emit('fire', { name: schedule.name, at: schedule.at, lateMs: at.getTime() - Date.parse(schedule.at) });
      // If this fails the schedule fires again next pass: delivery sends a twice-fired schedule once.
      await scheduler.complete(schedule);
    }
    return fired;
  };

  // Passes run one after another: `tail` is the last one queued.
  let tail: Promise<unknown> = Promise.resolve();
  let queued = 0;
  let stopped = false;
  const waiters: Array<() => void> = [];
  let timer: NodeJS.Timeout | undefined;

  const fireDue = (): Promise<number> => {
    if (stopped) return Promise.reject(new Error('The schedule runner has stopped'));
    queued++;
    const run = tail.then(pass).finally(() => {
      if (--queued > 0) return;
      for (const resolve of waiters.splice(0)) resolve();
    });
    tail = run.catch(() => undefined);
    return run;
  };

  const tick = (interval: number): void => {
    fireDue()
      .catch((error: unknown) => emit('pass-failed', { error: errorText(error) }))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, interval, interval).unref();
      });
  };
  // The first pass right away: what fell due while nothing ran (e.g. between two `npm start`s) fires now.
  if (intervalMs !== false) tick(intervalMs);

  return {
    fireDue,
    idle: () => (queued === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await tail;
    },
  };
}
