import type { EvidenceWrite, MessageOutcomes } from '#domain/messages/ports.ts';

/**
 * The email provider's events about our messages, and what each means for the message record.
 * For now Send and Reject settle a message whose sender died after handing it over; the others
 * are read (the configuration set publishes them) and left for delivery status to act on.
 */
export const emailEventTypes = ['Send', 'Reject', 'Delivery', 'Bounce', 'Complaint', 'DeliveryDelay'] as const;
export type EmailEventType = (typeof emailEventTypes)[number];

/**
 * Statuses of a message whose outcome delivery does not know: `sending` (a sender holds it, or died
 * holding it) and `unknown` (its lease passed with no evidence either way). Evidence settles these;
 * every other status was decided by delivery and stays.
 */
export const unsettledStatuses = ['sending', 'unknown'] as const;

/** One provider event about one of our emails, as its adapter read it. */
export interface EmailEvent {
  readonly type: EmailEventType;
  readonly tenantId: string;
  readonly messageId: string;
  readonly providerMessageId: string;
  /** When the provider took the email (SES: `mail.timestamp`). */
  readonly acceptedAt: string;
  /** Reject only: the provider's reason. */
  readonly rejectReason?: string;
}

export type ProviderOutcome =
  | { readonly kind: 'accepted'; readonly providerMessageId: string; readonly sentAt: string }
  | { readonly kind: 'rejected'; readonly providerMessageId: string; readonly reason: string }
  | { readonly kind: 'none' };

/** What an event says about its message. */
export function outcomeOf(event: EmailEvent): ProviderOutcome {
  switch (event.type) {
    case 'Send':
      return { kind: 'accepted', providerMessageId: event.providerMessageId, sentAt: event.acceptedAt };
    case 'Reject':
      return { kind: 'rejected', providerMessageId: event.providerMessageId, reason: `failed: rejected: ${event.rejectReason ?? 'no reason given'}` };
    default:
      return { kind: 'none' };
  }
}

export interface EmailEventsDeps {
  readonly outcomes: MessageOutcomes;
  readonly now: () => Date;
}

/** Writes what the event says on its message; `ignored` when it says nothing acted on yet. */
export async function recordEmailEvent(event: EmailEvent, deps: EmailEventsDeps): Promise<EvidenceWrite | 'ignored'> {
  const outcome = outcomeOf(event);
  const at = deps.now().toISOString();
  switch (outcome.kind) {
    case 'accepted':
      return deps.outcomes.providerAccepted(event.tenantId, event.messageId, { providerMessageId: outcome.providerMessageId, sentAt: outcome.sentAt, at });
    case 'rejected':
      return deps.outcomes.providerRejected(event.tenantId, event.messageId, { providerMessageId: outcome.providerMessageId, reason: outcome.reason, at });
    case 'none':
      return 'ignored';
  }
}
