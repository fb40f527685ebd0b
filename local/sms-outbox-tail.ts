/**
 * `npm start` prints each SMS the local outbox receives (`smsOutbox` in
 * local/adapters/sms-outbox.ts appends one JSON line per message) as
 * `SMS to +34612345678: text`. Follows the file from its end at start-up, like `tail -f`.
 */
import { open, stat } from 'node:fs/promises';

export interface OutboxSms {
  readonly id?: string;
  readonly at?: string;
  readonly to: string;
  readonly text: string;
}

/** The readable line for one outbox entry (newlines in the text shown as ⏎ to keep it one line). */
export function formatSms(sms: OutboxSms): string {
  return `SMS to ${sms.to}: ${sms.text.replace(/\r?\n/g, ' ⏎ ')}`;
}

/** Parses the outbox's JSON lines; a line that is not an SMS entry is skipped. */
export function parseOutboxLines(text: string): OutboxSms[] {
  const entries: OutboxSms[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const entry = JSON.parse(line) as Partial<OutboxSms>;
      if (typeof entry.to === 'string' && typeof entry.text === 'string') entries.push(entry as OutboxSms);
    } catch {
      // a partly written or foreign line: ignore
    }
  }
  return entries;
}

export interface OutboxTail {
  stop(): Promise<void>;
}

/**
 * Polls the file (it may not exist yet) and calls `onSms` for each complete line added after the
 * start. A file that shrinks (deleted or truncated) is followed again from its start.
 */
export async function tailSmsOutbox(file: string, onSms: (sms: OutboxSms) => void, intervalMs = 250): Promise<OutboxTail> {
  const sizeOf = async (): Promise<number | undefined> => {
    try {
      return (await stat(file)).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  };
  let offset = (await sizeOf()) ?? 0;
  let partial = Buffer.alloc(0);
  let stopped = false;

  const readNew = async (): Promise<void> => {
    const size = await sizeOf();
    if (size === undefined || size < offset) {
      offset = 0;
      partial = Buffer.alloc(0);
      if (size === undefined) return;
    }
    if (size === offset) return;
    const handle = await open(file, 'r');
    try {
      const buffer = Buffer.alloc(size - offset);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
      offset += bytesRead;
      // Split on the last newline byte before decoding, so a character cut by a write in progress stays whole.
      const bytes = Buffer.concat([partial, buffer.subarray(0, bytesRead)]);
      const end = bytes.lastIndexOf(0x0a);
      partial = bytes.subarray(end + 1);
      for (const sms of parseOutboxLines(bytes.subarray(0, end + 1).toString('utf8'))) onSms(sms);
    } finally {
      await handle.close();
    }
  };

  let current: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    current = current.then(readNew).catch((error: unknown) => {
      process.stderr.write(`Could not read ${file}: ${error instanceof Error ? error.message : String(error)}\n`);
    });
  }, intervalMs);
  timer.unref();

  return {
    stop: async () => {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await current;
    },
  };
}
