import type { Page } from '#domain/record-store.ts';
import type { ConversationMessage } from '#domain/messages/conversation.ts';

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
}

export interface SmsMessage {
  readonly to: string;
  readonly text: string;
}

export interface SentReceipt {
  readonly providerMessageId: string;
}

export interface EmailSender {
  send(message: EmailMessage): Promise<SentReceipt>;
}

export interface SmsSender {
  send(message: SmsMessage): Promise<SentReceipt>;
}

/** Where the evaluator hands messages for delivery (SQS in AWS). Bodies are JSON message intents. */
export interface DeliveryQueue {
  enqueue(bodies: readonly { readonly id: string; readonly body: string }[]): Promise<void>;
}

/** A provider refused or failed a send; `retryable` says whether trying again may work. */
export class SendFailure extends Error {
  readonly retryable: boolean;
  constructor(message: string, retryable: boolean) {
    super(message);
    this.name = 'SendFailure';
    this.retryable = retryable;
  }
}

/** The messages of every conversation. */
export interface MessageLog {
  /**
   * Writes the message unless it was written before: the write that makes each message happen
   * once. A message whose sender gave up (retrying) or died (lease passed) can be claimed again.
   * Resolves false when the message is already handled.
   */
  claim(tenantId: string, message: ConversationMessage, leaseUntil: Date, now: Date): Promise<boolean>;
  update(tenantId: string, id: string, changes: Partial<ConversationMessage> & { leaseUntil?: string }): Promise<void>;
  listForClient(tenantId: string, clientId: string, page: { limit: number; cursor?: string }): Promise<Page<ConversationMessage>>;
}

/** What a write of provider evidence did: settled the message, only recorded the evidence on it, or nothing (seen before, or not a message of ours). */
export type EvidenceWrite = 'settled' | 'recorded' | 'unchanged';

/**
 * The provider's own record of what became of a message it was given (SES events in AWS). Each
 * write is conditional, so the same evidence twice changes nothing the second time, and a message
 * that does not exist (an email another system sent) is never created.
 */
export interface MessageOutcomes {
  /**
   * The provider accepted the message. One still unsettled (see `unsettledStatuses`) becomes
   * `sent` with the provider's id and time; any other keeps its status and is marked
   * `providerAccepted`, so whoever settles it later knows not to send it again.
   */
  providerAccepted(tenantId: string, messageId: string, evidence: { providerMessageId: string; sentAt: string; at: string }): Promise<EvidenceWrite>;
  /** The provider refused the message after taking it: one still unsettled becomes `failed` with `reason`. */
  providerRejected(tenantId: string, messageId: string, evidence: { providerMessageId: string; reason: string; at: string }): Promise<EvidenceWrite>;
}

/**
 * A one-time schedule: at `at` (an ISO instant), `body` (a JSON delivery request, the same as the
 * delivery queue carries) goes to the delivery queue. Names are deterministic (see `scheduleName`),
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
