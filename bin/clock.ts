/**
 * Moves the local stack's clock (local mode only, see local/clock-control.ts):
 *   npm run clock -- +2h                 two hours on from the time in force (also -30m, +3d, +1w, +90s)
 *   npm run clock -- 2027-03-28T09:00    that instant now (this machine's local time unless Z or an offset)
 *   npm run clock -- reset               real time again
 *   npm run clock                        shows the time in force
 * A running `npm start` moves within a second and fires what fell due; the offset is kept in
 * LOCAL_DIR (.local) for the next `npm start` too.
 */
import { join } from 'node:path';
import { ClockCommandError, clockOffsetFile, describeOffset, offsetAfter, readClockOffset, writeClockOffset } from '#local/clock-control.ts';
import { repoRoot } from '#local/token-key.ts';

const usage = `Usage: npm run clock -- <+2h | -30m | +3d | +1w | 2027-03-28T09:00 | reset>
`;

const file = clockOffsetFile(process.env['LOCAL_DIR'] || join(repoRoot, '.local'));
const args = process.argv.slice(2);
if (args.length > 1 || args[0] === '--help' || args[0] === '-h') {
  process.stderr.write(usage);
  process.exit(2);
}
let offset = await readClockOffset(file);
if (args[0] !== undefined) {
  try {
    offset = offsetAfter(args[0], offset, new Date());
  } catch (error) {
    if (!(error instanceof ClockCommandError)) throw error;
    process.stderr.write(`${error.message}\n\n${usage}`);
    process.exit(2);
  }
  await writeClockOffset(file, offset);
}
process.stdout.write(`Local clock: ${offset === 0 ? 'real time' : `${describeOffset(offset)} from real time`}, now ${new Date(Date.now() + offset).toISOString()}\n`);
