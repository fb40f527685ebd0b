import type { Page } from '#domain/record-store.ts';
import type { Cancellation, ConversationMessage } from '#domain/messages/conversation.ts';
import type { EmailSuppression } from '#domain/clients.ts';
import type { ProviderChange } from '#domain/messages/provider-events.ts';
import type { EffectiveSender } from '#domain/sender.ts';

/** Ports of the message path; AWS and local adapters implement them. */

export interface EmailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** Which message this is: the provider's events about it (sent, rejected, bounced) find it again by these. */
  readonly tenantId: string;
  readonly messageId: string;
  readonly messageType: string;
  /** Who it is from (the business's name, its own address once verified), where replies go, and its SES tenant. */
  readonly sender?: Pick<EffectiveSender, 'name' | 'address' | 'replyTo' | 'tenantName'>;
  /** A marketing message's one-click unsubscribe URL: sent as List-Unsubscribe with List-Unsubscribe-Post (RFC 8058). */
  readonly listUnsubscribe?: string;
}

export interface SmsMessage {
  readonly to: string;
  readonly text: string;
}

export interface SentReceipt {
  readonly providerMessageId: string;
}

/**
 * What a provider's own records say about a message whose sender stopped mid-send (its lease ran
 * out with the message still `sending`): it took the message, it never did, there is no telling
 * (yet: `retryAfterMs`), or there never will be.
 */
export type SendEvidence =
  | { readonly accepted: true; readonly providerMessageId: string }
  | { readonly accepted: false }
  | { readonly accepted: 'pending'; readonly retryAfterMs: number }
  | { readonly accepted: 'unknown'; readonly why: string };

/** A message held under a lease while its provider call runs: who it is and since when. */
export interface HeldMessage {
  readonly tenantId: string;
  readonly id: string;
  /** When the attempt that left it `sending` started. */
  readonly attemptedAt: string;
  /** Set by the provider's events (SES Send) once the provider confirmed it took the message. */
  readonly providerAccepted?: { readonly providerMessageId: string };
}

/**
 * A channel's provider: sends, and answers for a message it may have taken. `signal` aborts the
 * call when the sender's lease ends, so no send can start or finish after another sender could
 * take the message over.
 */
export interface MessageSender<M> {
  send(message: M & { readonly tenantId: string; readonly messageId: string }, signal?: AbortSignal): Promise<SentReceipt>;
  evidence(message: HeldMessage, now: Date): Promise<SendEvidence>;
}

export type EmailSender = MessageSender<EmailMessage>;
export type SmsSender = MessageSender<SmsMessage>;

/** Where the evaluator hands messages for delivery (SQS in AWS). Bodies are JSON message intents. */
export interface DeliveryQueue {
  enqueue(bodies: readonly { readonly id: string; readonly body: string }[]): Promise<void>;
}

/**
 * A provider refused or failed a send. `retryable`: trying again may work. `ambiguous`: the call
 * ended without the provider's answer (a timeout, a lost connection, a 5xx), so it may have taken
 * the message: that is settled from evidence, never by sending again blindly.
 */
export class SendFailure extends Error {
  readonly retryable: boolean;
  readonly ambiguous: boolean;
  constructor(message: string, retryable: boolean, ambiguous = false) {
    super(message);
    this.name = 'SendFailure';
    this.retryable = retryable;
    this.ambiguous = ambiguous;
  }
}

/**
 * The number opted out of the account's SMS (it answered STOP): SNS refuses to publish to it
 * (`OptedOutException`; locally, the outbox stand-in's opt-out list). Final, and no failure of ours:
 * the message is `not_sent: opted_out` and the client's SMS consent is turned off.
 */
export class RecipientOptedOut extends SendFailure {
  constructor(message: string) {
    super(message, false);
    this.name = 'RecipientOptedOut';
  }
}

/** A stored outbound message with what the log keeps beside it: its sender's lease, and whether the provider's events said it took the message. */
export type StoredMessage = ConversationMessage & { readonly leaseUntil?: string; readonly providerAccepted?: boolean };

/** What a claim found: the message is ours now, or what is stored stays as it is. */
export type ClaimResult = { readonly claimed: true } | { readonly claimed: false; readonly current: StoredMessage };

/** The messages of every conversation. */
export interface MessageLog {
  /**
   * Writes the message if it is new, armed and waiting (`scheduled`) or its last sender gave up
   * (`retrying`): the write that makes each message happen once. Otherwise resolves with what is
   * stored, for the caller to settle.
   */
  claim(tenantId: string, message: ConversationMessage, leaseUntil: Date): Promise<ClaimResult>;
  /**
   * Changes a message still `sending` under the lease `heldUntil` (ours, or an expired one being
   * taken over): false when another sender changed it first.
   */
  transition(tenantId: string, id: string, heldUntil: string, changes: Partial<ConversationMessage> & { leaseUntil?: string }): Promise<boolean>;
  listForClient(tenantId: string, clientId: string, page: { limit: number; cursor?: string }): Promise<Page<ConversationMessage>>;
  /**
   * The client's `scheduled` messages, due soonest first, at most `limit`: those among the client's
   * latest `upcomingScanLimit` messages (armed messages are written when armed, so they are recent).
   */
  upcomingForClient(tenantId: string, clientId: string, limit: number): Promise<ConversationMessage[]>;
  /**
   * Records armed messages as `scheduled` (new, or re-armed: `scheduled` or `cancelled` before). One
   * a sender already took (or settled) is left as it is, so a replayed arming never undoes a send.
   */
  schedule(tenantId: string, messages: readonly ConversationMessage[]): Promise<void>;
  /** Turns disarmed messages still `scheduled` into `cancelled` with the reason; any other is left as it is. */
  cancel(tenantId: string, cancellations: readonly Cancellation[], at: string): Promise<void>;
}

/** What a write of provider evidence did: settled the message, only recorded the evidence on it, or nothing (seen before, or not a message of ours). */
export type EvidenceWrite = 'settled' | 'recorded' | 'unchanged';

/**
 * The provider's own record of what became of a message it was given (SES events in AWS). Each
 * write is conditional, so the same evidence twice changes nothing the second time, a later status
 * is never taken back by an earlier one, and a message that does not exist (an email another system
 * sent) is never created.
 */
export interface MessageOutcomes {
  /**
   * Keeps the event on the message's history (once per `change.key`, up to `maxDeliveryEvents`)
   * and moves the message as `change.move` says if its status is one the move is from. `settled`:
   * the status moved; `recorded`: only the history (and `change.always`) was written; `unchanged`:
   * the event was there already, or the message is not ours. `clientId` is the message's client,
   * whenever the message exists.
   */
  providerEvent(tenantId: string, messageId: string, change: ProviderChange): Promise<{ readonly write: EvidenceWrite; readonly clientId?: string }>;
}

/** The business's own suppression list: on the client item, where delivery reads it with the client. */
export interface ClientSuppressions {
  /**
   * Suppresses the client's email address, only if it is still `suppression.address` and not
   * suppressed already (the first cause is kept): `settled` when written, else `unchanged`.
   */
  suppressEmail(tenantId: string, clientId: string, suppression: EmailSuppression, at: string): Promise<EvidenceWrite>;
}

/**
 * A one-time schedule: at `at` (an ISO instant), `body` (a JSON delivery request, the same as the
 * delivery queue carries) goes to the delivery queue. Names are deterministic (see `scheduleNameOf`),
 * at most 64 characters of `[0-9A-Za-z_.-]`.
 */
export interface ScheduledDelivery {
  readonly name: string;
  readonly at: string;
  readonly body: string;
}

/** One-time schedules for timed messages (EventBridge Scheduler in AWS). */
export interface MessageScheduler {
  /** Creates each schedule, or replaces the one of that name: arming the same name twice is harmless. */
  arm(schedules: readonly ScheduledDelivery[]): Promise<void>;
  /** Deletes the named schedules; a name that is already gone (fired, or never armed) is fine. */
  disarm(names: readonly string[]): Promise<void>;
}
