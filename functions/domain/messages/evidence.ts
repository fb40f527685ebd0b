import type { HeldMessage, SendEvidence } from '#domain/messages/ports.ts';

/**
 * Evidence from a provider that reports every message it takes as an event (SES's Send event, which
 * the email events function writes onto the message): the event is there, or it is still on its
 * way, or after `graceMs` without it the provider never took the message.
 */
export function evidenceFromEvents(message: HeldMessage, now: Date, graceMs: number): SendEvidence {
  if (message.providerAccepted) return { accepted: true, providerMessageId: message.providerAccepted.providerMessageId };
  const waited = now.getTime() - Date.parse(message.attemptedAt);
  return waited >= graceMs ? { accepted: false } : { accepted: 'pending', retryAfterMs: graceMs - waited };
}
