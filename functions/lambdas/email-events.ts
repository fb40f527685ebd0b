import type { Context, EventBridgeEvent } from 'aws-lambda';
import { recordEmailEvent, type EmailEventsDeps } from '#domain/messages/provider-events.ts';
import { emailEventOf } from '#adapters/ses/email-events.ts';
import { emailEventsDeps } from '#wiring/email-events.ts';
import { logger } from '#logger';

/**
 * Records one SES event of an email on its message (and a hard bounce's or complaint's
 * suppression on its client). The same handler runs in local mode, fed by the mailbox simulator
 * stand-in (local/ses-mailbox-simulator.ts). An event that cannot be read is logged and
 * dropped: retrying it would fail the same way. A failed write is thrown, so the event is retried
 * and, after the last retry, kept in the email-events dead-letter queue.
 */
export async function handleEmailEvent(event: unknown, deps: EmailEventsDeps): Promise<void> {
  const eventId = (event as { id?: unknown } | null)?.id;
  const read = emailEventOf(event);
  if ('ignored' in read) {
    logger.warn('email event ignored', { eventId, why: read.ignored });
    return;
  }
  const { type, tenantId, messageId, providerMessageId } = read.event;
  const result = await recordEmailEvent(read.event, deps);
  logger.info('email event', { eventId, type, tenantId, messageId, providerMessageId, ...result });
}

export async function handler(event: EventBridgeEvent<string, unknown>, context: Context): Promise<void> {
  logger.addContext(context);
  await handleEmailEvent(event, emailEventsDeps());
}
