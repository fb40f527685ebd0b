import type { Page } from '#domain/record-store.ts';
import type { ConversationMessage } from '#domain/messages/conversation.ts';

/** Ports of the message path; AWS and local adapters implement them. */

export interface EmailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** Lets delivery events (bounces, complaints) find the message again. */
  readonly tags: Readonly<Record<string, string>>;
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
