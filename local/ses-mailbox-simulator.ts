/**
 * Local mode's stand-in for SES's event publishing, following the SES mailbox simulator: each email
 * the SES emulator stores is answered, as SES answers mail to the simulator's addresses, with
 * EventBridge-shaped events (the shape the configuration set's event destination publishes) handed
 * to the same `handleEmailEvent` as on AWS. Local only: no Lambda bundle imports it.
 *
 * | to (local part, `+label` ignored, any domain) | events |
 * | --- | --- |
 * | `bounce@`          | Send, Bounce (Permanent/General, `smtp; 550 5.1.1 user unknown`) |
 * | `suppressionlist@` | Send, Bounce (Permanent/OnAccountSuppressionList) |
 * | `complaint@`       | Send, Delivery, Complaint (abuse) |
 * | `ooto@`            | Send, Delivery (the auto-reply is no event) |
 * | `success@`, any other | Send, Delivery |
 *
 * Only the simulator's own domain (`simulator.amazonses.com`) bounces or complains: mail to
 * `bounce@example.com` is delivered, as an ordinary address would be.
 */
import { randomUUID } from 'node:crypto';
import { sesDetailTypes } from '#adapters/ses/email-events.ts';
import { identityTagsFor } from '#adapters/ses/message-tags.ts';
import type { EmailEventType } from '#domain/messages/provider-events.ts';
import { localMessageIdHeader } from '#local/adapters/ses-store-evidence.ts';
import type { SentEmail } from '#local/ses-local.ts';

export const simulatorDomain = 'simulator.amazonses.com';

type Outcome = { readonly type: EmailEventType; readonly detail: Record<string, unknown> };

/** What SES does with mail to `address`, after the Send: the events that follow, in order. */
export function simulatedOutcomes(address: string, at: string): Outcome[] {
  const [local = '', domain = ''] = address.toLowerCase().split('@');
  const mailbox = domain === simulatorDomain ? local.replace(/\+.*$/, '') : '';
  const delivery: Outcome = { type: 'Delivery', detail: { delivery: { timestamp: at, recipients: [address], smtpResponse: '250 2.6.0 Message received', processingTimeMillis: 0 } } };
  const bounce = (bounceSubType: string, diagnosticCode: string): Outcome => ({
    type: 'Bounce',
    detail: { bounce: { bounceType: 'Permanent', bounceSubType, timestamp: at, feedbackId: randomUUID(), bouncedRecipients: [{ emailAddress: address, action: 'failed', status: '5.1.1', diagnosticCode }] } },
  });
  switch (mailbox) {
    case 'bounce':
      return [bounce('General', 'smtp; 550 5.1.1 user unknown')];
    case 'suppressionlist':
      return [bounce('OnAccountSuppressionList', 'Amazon SES did not send the message to this address because it is on the suppression list for your account.')];
    case 'complaint':
      return [delivery, { type: 'Complaint', detail: { complaint: { timestamp: at, feedbackId: randomUUID(), complaintFeedbackType: 'abuse', complainedRecipients: [{ emailAddress: address }] } } }];
    default:
      return [delivery];
  }
}

/** The EventBridge events SES would publish for one stored email: none for an email that names no message of ours. */
export function simulatedEvents(email: SentEmail): Record<string, unknown>[] {
  const named = email.headers?.find((header) => header.name === localMessageIdHeader)?.value;
  const slash = named?.indexOf('/') ?? -1;
  if (!named || slash < 1) return [];
  const tags = Object.fromEntries(identityTagsFor({ tenantId: named.slice(0, slash), messageId: named.slice(slash + 1) }).map((tag) => [tag.Name!, [tag.Value!]]));
  const at = new Date(email.at * 1000).toISOString();
  const to = email.destination.to[0] ?? '';
  const mail = { timestamp: at, messageId: email.messageId, source: email.from, destination: email.destination.to, tags };
  return [{ type: 'Send' as const, detail: { send: {} } }, ...simulatedOutcomes(to, at)].map(({ type, detail }) => ({
    version: '0',
    id: randomUUID(),
    'detail-type': sesDetailTypes[type],
    source: 'aws.ses',
    account: '000000000000',
    time: at,
    region: 'local',
    resources: [],
    detail: { eventType: type, mail, ...detail },
  }));
}

export interface MailboxSimulator {
  /** Handles every stored email not handled yet, now; resolves when their events are written. */
  pass(): Promise<number>;
  /** Resolves once no pass is running. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export interface MailboxSimulatorOptions {
  readonly sentEmails: () => Promise<readonly SentEmail[]>;
  /** The email events handler (`handleEmailEvent` with its deps). */
  readonly handle: (event: unknown) => Promise<void>;
  /** Emails stored before this many of the store's emails are skipped (a restart does not replay old mail); default none. */
  readonly skip?: number;
  /** How often the store is looked at; false: only on `pass()`. Default 250 ms. */
  readonly intervalMs?: number | false;
  readonly onError?: (error: unknown) => void;
}

/**
 * Watches the SES emulator's store and publishes each new email's events, Send first, then the
 * rest in order. An event whose handling fails is tried again on the next pass (its email is
 * marked done only when all its events were written), as EventBridge retries a failed target.
 */
export function startMailboxSimulator(options: MailboxSimulatorOptions): MailboxSimulator {
  let done = options.skip ?? 0;
  let running: Promise<number> | undefined;
  let stopped = false;
  const pass = (): Promise<number> => {
    running ??= (async () => {
      try {
        const emails = await options.sentEmails();
        let handled = 0;
        for (; done < emails.length && !stopped; done++, handled++) {
          for (const event of simulatedEvents(emails[done]!)) await options.handle(event);
        }
        return handled;
      } finally {
        running = undefined;
      }
    })();
    return running;
  };
  const timer =
    options.intervalMs === false
      ? undefined
      : setInterval(() => {
          if (!running) pass().catch((error: unknown) => options.onError?.(error));
        }, options.intervalMs ?? 250);
  return {
    pass,
    idle: async () => {
      await running?.catch(() => undefined);
    },
    stop: async () => {
      stopped = true;
      if (timer) clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
