import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clock } from '#adapters/clock.ts';
import { ClockCommandError, clockOffsetFile, describeOffset, offsetAfter, readClockOffset, startClockControl, writeClockOffset } from '#local/clock-control.ts';

const hour = 3_600_000;
const realNow = new Date('2026-12-02T10:00:00Z');

describe('the local clock command', () => {
  it('moves the offset in force by a relative amount, in seconds to weeks, either way', () => {
    expect(offsetAfter('+2h', 0, realNow)).toBe(2 * hour);
    expect(offsetAfter('-30m', 2 * hour, realNow)).toBe(1.5 * hour);
    expect(offsetAfter('+3d', 0, realNow)).toBe(72 * hour);
    expect(offsetAfter('+1w', hour, realNow)).toBe(169 * hour);
    expect(offsetAfter('+90s', 0, realNow)).toBe(90_000);
  });

  it('makes a date-time the local time now, and reset real time', () => {
    expect(offsetAfter('2026-12-04T09:00:00Z', 5 * hour, realNow)).toBe(47 * hour);
    expect(offsetAfter('2026-12-04T09:00+01:00', 0, realNow)).toBe(46 * hour);
    expect(offsetAfter('reset', 5 * hour, realNow)).toBe(0);
  });

  it('refuses what it cannot read, saying what it takes', () => {
    for (const command of ['2h', '+2', '+2y', 'tomorrow', '2026-13-45T99:00', '']) expect(() => offsetAfter(command, 0, realNow), command).toThrow(ClockCommandError);
    expect(() => offsetAfter('soon', 0, realNow)).toThrow(/Use \+2h, -30m, \+3d, \+1w, a date-time such as 2027-03-28T09:00, or reset/);
  });

  it('describes an offset in days, hours and minutes', () => {
    expect(describeOffset(0)).toBe('0');
    expect(describeOffset(2 * hour)).toBe('+2h');
    expect(describeOffset(-(24 + 2.5) * hour)).toBe('-1d 2h 30m');
    expect(describeOffset(45_000)).toBe('+45s');
  });

  it('keeps the offset in a file, removed on reset', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clock-'));
    try {
      const file = clockOffsetFile(join(dir, 'not-yet'));
      expect(await readClockOffset(file)).toBe(0);
      await writeClockOffset(file, 2 * hour);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ offsetMs: 2 * hour });
      expect(await readClockOffset(file)).toBe(2 * hour);
      await writeClockOffset(file, 0);
      expect(existsSync(file)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('moves the shared clock from the file at start and whenever the file changes, telling each move once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clock-'));
    const file = clockOffsetFile(dir);
    await writeClockOffset(file, 48 * hour);
    const moves: number[] = [];
    const control = await startClockControl(file, (offset) => moves.push(offset));
    try {
      expect(clock.now().getTime() - Date.now()).toBeGreaterThan(47.9 * hour);
      await writeClockOffset(file, -hour);
      await expect.poll(() => moves, { timeout: 5_000 }).toEqual([-hour]);
      expect(control.offsetMs()).toBe(-hour);
      expect(clock.now().getTime() - Date.now()).toBeLessThan(-0.9 * hour);
    } finally {
      control.stop();
      rmSync(dir, { recursive: true, force: true });
    }
    expect(Math.abs(clock.now().getTime() - Date.now())).toBeLessThan(60_000);
  });
});
