/**
 * Local mode's clock control, for demos and manual tests: how far the whole local stack's clock
 * (API, evaluator, delivery, schedule runner: everything that reads `clock.now()`) runs ahead of
 * or behind real time. `npm run clock` writes it to LOCAL_DIR/clock-offset.json; a running
 * `npm start` watches that file and moves its clock, and the next `npm start` starts with it.
 * Only bin/ and local/ import this module, so no Lambda bundle has it (test/cdk/stack.test.ts).
 */
import { watchFile, unwatchFile } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { useClock } from '#adapters/clock.ts';

export const clockOffsetFile = (localDir: string): string => join(localDir, 'clock-offset.json');

const unitMs = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;
type Unit = keyof typeof unitMs;

export class ClockCommandError extends Error {
  override readonly name = 'ClockCommandError';
}

/**
 * The offset after a clock command, from the one in force: `+2h` / `-30m` / `+3d` / `+1w` / `+90s`
 * move it by that much; a date-time (`2027-03-28T09:00`, this machine's local time unless it names
 * `Z` or an offset) makes the local stack's time that instant now, flowing on from there; `reset`
 * is real time again.
 */
export function offsetAfter(command: string, current: number, realNow: Date): number {
  if (command === 'reset') return 0;
  const relative = /^([+-])(\d+)([smhdw])$/.exec(command);
  if (relative) {
    const [, sign, amount, unit] = relative;
    return current + (sign === '-' ? -1 : 1) * Number(amount) * unitMs[unit as Unit];
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(command)) {
    const target = Date.parse(command);
    if (!Number.isNaN(target)) return target - realNow.getTime();
  }
  throw new ClockCommandError(`Not a clock command: ${JSON.stringify(command)}. Use +2h, -30m, +3d, +1w, a date-time such as 2027-03-28T09:00, or reset.`);
}

/** `+2d 3h 15m`, `-30m`, or `0` (real time); seconds only when there are no larger units. */
export function describeOffset(offsetMs: number): string {
  if (offsetMs === 0) return '0';
  const sign = offsetMs < 0 ? '-' : '+';
  let left = Math.abs(offsetMs);
  const parts: string[] = [];
  for (const unit of ['d', 'h', 'm'] as const) {
    const amount = Math.floor(left / unitMs[unit]);
    left -= amount * unitMs[unit];
    if (amount > 0) parts.push(`${amount}${unit}`);
  }
  if (parts.length === 0) parts.push(`${Math.round(left / 1_000)}s`);
  return `${sign}${parts.join(' ')}`;
}

/** The offset the file holds; 0 (real time) without one. */
export async function readClockOffset(file: string): Promise<number> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  const { offsetMs } = JSON.parse(text) as { offsetMs?: unknown };
  if (typeof offsetMs !== 'number' || !Number.isFinite(offsetMs)) throw new Error(`${file} holds no offsetMs`);
  return offsetMs;
}

/** Writes the offset whole (a watcher never reads half a file); 0 removes the file. */
export async function writeClockOffset(file: string, offsetMs: number): Promise<void> {
  if (offsetMs === 0) {
    await rm(file, { force: true });
    return;
  }
  const partial = `${file}.${process.pid}.tmp`;
  // Before the first `npm start`, LOCAL_DIR may not exist yet.
  await mkdir(dirname(file), { recursive: true });
  await writeFile(partial, `${JSON.stringify({ offsetMs })}\n`);
  await rename(partial, file);
}

export interface ClockControl {
  readonly offsetMs: () => number;
  readonly stop: () => void;
}

/**
 * `npm start`'s side: from now on the shared clock runs `offsetMs` from real time, read from the
 * file at start and again whenever it changes (polled: the file may not exist yet); `moved` hears
 * each change once it is in force.
 */
export async function startClockControl(file: string, moved: (offsetMs: number) => void): Promise<ClockControl> {
  let offset = await readClockOffset(file);
  const restore = useClock(() => new Date(Date.now() + offset));
  const reread = (): void => {
    readClockOffset(file).then(
      (next) => {
        if (next === offset) return;
        offset = next;
        moved(offset);
      },
      (error: unknown) => process.stderr.write(`Could not read the clock offset: ${error instanceof Error ? error.message : String(error)}\n`),
    );
  };
  watchFile(file, { interval: 200 }, reread);
  return {
    offsetMs: () => offset,
    stop: () => {
      unwatchFile(file, reread);
      restore();
    },
  };
}
