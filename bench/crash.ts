/**
 * The crash harness's long form: `npm run bench:crash` (CRASH_BOOKINGS=1000, CRASH_KILLS=20,
 * CRASH_CONCURRENCY=25, CRASH_SEED to repeat a run). Prints the count and exits non-zero on any
 * message lost, duplicated, stuck or disagreeing. With CRASH_KILLS=0 it is the throughput run:
 * bookings per second through `npm start` and the time to the last confirmation.
 */
import { runCrashTrial } from '../test/crash/harness.ts';

const number = (name: string, fallback: number): number => (process.env[name] ? Number(process.env[name]) : fallback);

const report = await runCrashTrial({
  bookings: number('CRASH_BOOKINGS', 1000),
  concurrency: number('CRASH_CONCURRENCY', 25),
  kills: number('CRASH_KILLS', 20),
  // Reminders one to two minutes after their booking: downtime of 20 restarts can hold a booking's
  // request up for tens of seconds, and a reminder whose time passed before its booking is skipped.
  leadSeconds: [180, 240],
  ...(process.env.CRASH_SEED ? { seed: Number(process.env.CRASH_SEED) } : {}),
  keepDir: process.env.CRASH_KEEP === '1',
  log: (line) => process.stdout.write(`${line}\n`),
});
const { problems, ...figures } = report;
process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
for (const problem of problems.slice(0, 50)) process.stdout.write(`  ${problem}\n`);
process.exit(report.duplicated + report.missing + report.stuck + report.disagreeing + report.failedOrUnknown > 0 ? 1 : 0);
