import type { DeliveryEvent, MessageStatus } from '#domain/messages/conversation.ts';
import type { EmailSuppression } from '#domain/clients.ts';
import type { ClientSuppressions, EvidenceWrite, MessageOutcomes } from '#domain/messages/ports.ts';

/**
 * The email provider's events about our messages, and what each means for the message record:
 * Send settles a message whose sender died after handing it over; every event is kept on the
 * message's history; Reject, DeliveryDelay, Delivery, Bounce and Complaint move it to their status
 * (`deliveryStatusOf`), never back; a hard bounce or a complaint suppresses the address for the
 * business (`suppressionOf`).
 */
export const emailEventTypes = ['Send', 'Reject', 'Delivery', 'Bounce', 'Complaint', 'DeliveryDelay'] as const;
export type EmailEventType = (typeof emailEventTypes)[number];

/**
 * Statuses of a message whose outcome delivery does not know: `sending` (a sender holds it, or died
 * holding it) and `unknown` (its lease passed with no evidence either way). Evidence settles these;
 * every other status was decided by delivery and stays.
 */
export const unsettledStatuses = ['sending', 'unknown'] as const;

/** The history a message keeps is bounded: SES sends a handful of events per email, repeated delays included. */
export const maxDeliveryEvents = 20;

/**
 * The order provider outcomes follow, whatever order their events arrive in: a message moves only
 * to a status ranked higher than its own, so a late or repeated event never takes it back. A bounce
 * or complaint may follow a delivery (mail servers report them later); a reject, bounce or
 * complaint is the end. Statuses not listed (`retrying`, `not_sent`, `failed`, `received`) are never
 * moved by an event: delivery decided those.
 */
export const deliveryRanks = {
  sending: 0,
  unknown: 0,
  sent: 1,
  delayed: 2,
  delivered: 3,
  bounced: 4,
  complained: 4,
  rejected: 4,
} as const satisfies Partial<Record<MessageStatus, number>>;
export type RankedStatus = keyof typeof deliveryRanks;
export type DeliveryStatus = 'delayed' | 'delivered' | 'bounced' | 'complained' | 'rejected';

/** The statuses a message may move to `status` from: those ranked below it. */
export function movesFrom(status: RankedStatus): RankedStatus[] {
  return (Object.keys(deliveryRanks) as RankedStatus[]).filter((from) => deliveryRanks[from] < deliveryRanks[status]);
}

/** Bounce details, as SES reports them. */
export interface BounceDetails {
  /** `Permanent` (a hard bounce: suppress), `Transient` (a soft one: recorded only) or `Undetermined`. */
  readonly bounceType: string;
  readonly bounceSubType: string;
}

/** One provider event about one of our emails, as its adapter read it. */
export interface EmailEvent {
  readonly type: EmailEventType;
  readonly tenantId: string;
  readonly messageId: string;
  readonly providerMessageId: string;
  /** When the provider took the email (SES: `mail.timestamp`). */
  readonly acceptedAt: string;
  /** When the event itself happened (its own object's `timestamp`; a Send or Reject: `acceptedAt`). */
  readonly occurredAt: string;
  /** The address it is about (the bounced or complaining recipient, else the first destination), in lower case. */
  readonly recipient?: string;
  /** Reject only: the provider's reason. */
  readonly rejectReason?: string;
  readonly bounce?: BounceDetails;
  /** What the provider said: a bounce's SMTP diagnostic, a complaint's feedback type, a delay's type. */
  readonly diagnostic?: string;
}

/** The history entry of an event, and the key it is kept once under (an event repeated by SES or EventBridge has the same type and time). */
export function historyEntryOf(event: EmailEvent): { readonly key: string; readonly entry: DeliveryEvent } {
  const diagnostic =
    event.type === 'Reject' ? event.rejectReason : event.type === 'Bounce' && event.bounce ? [`${event.bounce.bounceType}/${event.bounce.bounceSubType}`, event.diagnostic].filter(Boolean).join(': ') : event.diagnostic;
  return { key: `${event.type}@${event.occurredAt}`, entry: { type: event.type, at: event.occurredAt, ...(diagnostic ? { diagnostic } : {}) } };
}

/** The status an event moves its message to; Send settles (`sent`) only a message still unsettled. */
export function deliveryStatusOf(event: EmailEvent): DeliveryStatus | undefined {
  switch (event.type) {
    case 'Send':
      return undefined;
    case 'Reject':
      return 'rejected';
    case 'DeliveryDelay':
      return 'delayed';
    case 'Delivery':
      return 'delivered';
    case 'Bounce':
      return 'bounced';
    case 'Complaint':
      return 'complained';
  }
}

/** What the message's `reason` says after an event that ends it badly. */
function reasonOf(event: EmailEvent, status: DeliveryStatus): string | undefined {
  if (status !== 'rejected' && status !== 'bounced' && status !== 'complained') return undefined;
  const { diagnostic } = historyEntryOf(event).entry;
  return diagnostic ? `${status}: ${diagnostic}` : status;
}

/** The address suppression a hard bounce or a complaint calls for; a soft bounce calls for none. */
export function suppressionOf(event: EmailEvent, messageId: string): EmailSuppression | undefined {
  const suppresses = (event.type === 'Bounce' && event.bounce?.bounceType === 'Permanent') || event.type === 'Complaint';
  if (!suppresses || !event.recipient) return undefined;
  const { diagnostic } = historyEntryOf(event).entry;
  return { address: event.recipient, cause: { event: event.type, messageId, at: event.occurredAt, ...(diagnostic ? { diagnostic } : {}) } };
}

/**
 * The write an event calls for on its message: its history entry (kept once, by `key`), and, if
 * the message's status is one of `move.from`, the move to `move.to` with `move.set`; `always` is
 * written with the entry whether or not the status moves (`ifMissing` only where not set yet).
 */
export interface ProviderChange {
  readonly key: string;
  readonly entry: DeliveryEvent;
  readonly move: { readonly to: MessageStatus; readonly from: readonly MessageStatus[]; readonly set: Readonly<Record<string, unknown>> };
  readonly always: { readonly set: Readonly<Record<string, unknown>>; readonly ifMissing: Readonly<Record<string, unknown>> };
}

/** What an event writes on its message, `at` being when it is recorded. */
export function changeOf(event: EmailEvent, at: string): ProviderChange {
  const { key, entry } = historyEntryOf(event);
  const accepted = event.type !== 'Reject';
  // Any event but a Reject says the provider took the email: whoever settles the message later must not send it again.
  const always = accepted
    ? { set: { providerAccepted: true }, ifMissing: { providerMessageId: event.providerMessageId, sentAt: event.acceptedAt } }
    : { set: {}, ifMissing: { providerMessageId: event.providerMessageId } };
  const status = deliveryStatusOf(event);
  if (!status) {
    return { key, entry, always, move: { to: 'sent', from: unsettledStatuses, set: { providerMessageId: event.providerMessageId, sentAt: event.acceptedAt, settledBy: 'ses_event', updatedAt: at } } };
  }
  const reason = reasonOf(event, status);
  return { key, entry, always, move: { to: status, from: movesFrom(status), set: { updatedAt: at, ...(reason ? { reason } : {}) } } };
}

export interface EmailEventsDeps {
  readonly outcomes: MessageOutcomes;
  readonly clients: ClientSuppressions;
  readonly now: () => Date;
}

export interface EmailEventResult {
  readonly message: EvidenceWrite;
  /** Whether the event suppressed the client's address: `suppressed`, or `unchanged` (already suppressed, or the address changed since). */
  readonly suppression?: EvidenceWrite;
}

/**
 * Writes what the event says on its message, then suppresses the address on the message's client
 * where it calls for it. The suppression is written even when the message had the event already:
 * a retry after a failed suppression must still suppress.
 */
export async function recordEmailEvent(event: EmailEvent, deps: EmailEventsDeps): Promise<EmailEventResult> {
  const at = deps.now().toISOString();
  const written = await deps.outcomes.providerEvent(event.tenantId, event.messageId, changeOf(event, at));
  const suppression = suppressionOf(event, event.messageId);
  if (!suppression || written.clientId === undefined) return { message: written.write };
  const suppressed = await deps.clients.suppressEmail(event.tenantId, written.clientId, suppression, at);
  return { message: written.write, suppression: suppressed };
}
