import { describe, expect, it } from 'vitest';
import { runCrashTrial } from '../crash/harness.ts';

/**
 * The crash harness's short form: `npm start` SIGKILLed (the whole process group) at random moments
 * while bookings are made and their confirmations and reminders go out, started again on the same
 * data each time. Whatever the moments, every message of every booking that exists after the last
 * restart reaches the client exactly once, or is recorded not sent with its reason, and nothing is
 * left sending. The long form: `npm run bench:crash`.
 */
describe('npm start, killed at random moments', () => {
  it('loses nothing, sends nothing twice and leaves nothing sending', async () => {
    const report = await runCrashTrial({ bookings: 40, concurrency: 8, kills: 3, log: (line) => console.log(line) });
    const { problems, ...figures } = report;
    console.log(JSON.stringify(figures));
    expect(problems, `seed ${report.seed} (CRASH_SEED=${report.seed} npm run bench:crash repeats the kills)`).toEqual([]);
    expect(report.kills).toBe(3);
    expect(report.bookings).toBeGreaterThan(0);
    expect(report.sent + Object.values(report.notSent).reduce((sum, count) => sum + count, 0)).toBe(report.expected);
  }, 240_000);
});
