import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { RecipientOptedOut, type SmsSender } from '#domain/messages/ports.ts';

/**
 * The local stand-in for SNS's opt-out list: `sms-opt-outs.txt` beside the outbox, one E.164
 * number a line. A line there is what a client's STOP reply does on AWS: the number gets no SMS,
 * and a send to it is refused as SNS refuses it (`OptedOutException`).
 */
export const smsOptOutsFileOf = (outboxFile: string): string => join(dirname(outboxFile), 'sms-opt-outs.txt');

/** The local STOP: adds the number to the opt-out list. */
export async function smsStop(outboxFile: string, phone: string): Promise<void> {
  await mkdir(dirname(outboxFile), { recursive: true });
  await appendFile(smsOptOutsFileOf(outboxFile), `${phone}\n`);
}

async function optedOut(outboxFile: string, phone: string): Promise<boolean> {
  try {
    return (await readFile(smsOptOutsFileOf(outboxFile), 'utf8')).split('\n').some((line) => line.trim() === phone);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** One line of the outbox: the SMS, and the message it was sent for (the evidence a restart looks for). */
interface OutboxLine {
  readonly id: string;
  readonly at: string;
  readonly tenantId: string;
  readonly messageId: string;
  readonly to: string;
  readonly text: string;
}

/**
 * Local SMS sender: refuses numbers on the opt-out list, and appends each other message as a JSON line to a file that `npm start` prints. The file
 * is also the provider's record: a message is taken once its line is written, so a sender that died
 * after the write is settled as sent, and one that died before it may send again.
 */
export function smsOutbox(file: string, now: () => Date = () => new Date()): SmsSender {
  const lines = async (): Promise<OutboxLine[]> => {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return text.split('\n').flatMap((line) => {
      try {
        return line.trim() === '' ? [] : [JSON.parse(line) as OutboxLine];
      } catch {
        return []; // a line cut short by a kill mid-write: that SMS was never taken
      }
    });
  };
  return {
    async send(message) {
      if (await optedOut(file, message.to)) throw new RecipientOptedOut(`OptedOutException: ${message.to} is on the local opt-out list (${smsOptOutsFileOf(file)})`);
      const line: OutboxLine = { id: `local-${randomUUID()}`, at: now().toISOString(), tenantId: message.tenantId, messageId: message.messageId, to: message.to, text: message.text };
      await mkdir(dirname(file), { recursive: true });
      // The leading newline ends a line a kill may have cut short, so it never swallows this one.
      await appendFile(file, `\n${JSON.stringify(line)}\n`);
      return { providerMessageId: line.id };
    },
    async evidence(message) {
      const sent = (await lines()).find((line) => line.tenantId === message.tenantId && line.messageId === message.id);
      return sent ? { accepted: true, providerMessageId: sent.id } : { accepted: false };
    },
  };
}
