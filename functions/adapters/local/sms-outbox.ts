import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { SmsSender } from '#domain/messages/ports.ts';

/** Local SMS sender: appends each message as a JSON line to a file that `npm start` prints. */
export function smsOutbox(file: string, now: () => Date = () => new Date()): SmsSender {
  return {
    async send(message) {
      const providerMessageId = `local-${randomUUID()}`;
      await mkdir(dirname(file), { recursive: true });
      await appendFile(file, `${JSON.stringify({ id: providerMessageId, at: now().toISOString(), to: message.to, text: message.text })}\n`);
      return { providerMessageId };
    },
  };
}
