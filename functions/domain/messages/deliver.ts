import { clientKind, type Client } from '#domain/clients.ts';
import { locationKind } from '#domain/locations.ts';
import { createOnce, type RecordSet, type RecordStore } from '#domain/record-store.ts';
import type { RecordKind } from '#domain/record-kinds.ts';
import { defaultSettings, settingsId, settingsKind, type Settings } from '#domain/settings.ts';
import { finalStatuses, messageKind, type ConversationMessage } from '#domain/messages/conversation.ts';
import { previousRecord, requestOf, staleness, type MessageIntent } from '#domain/messages/message-intent.ts';
import { checkAtFire, type FireCheck } from '#domain/messages/timed-messages.ts';
import { scheduleNameOf, type MessageId } from '#domain/identities.ts';
import type { RecordImage } from '#domain/messages/events.ts';
import type { TriggeringKind } from '#domain/messages/message-types.ts';
import { automatedMessagesId, automatedMessagesKind, automatedMessagesOf, customTimedRule, ruleKind, timedSystemRules, timingKey, type AutomatedMessagesInput, type CustomRule, type TimedRule } from '#domain/messages/rules.ts';
import { notificationKind, recordLink, type Notification } from '#domain/notifications.ts';
import { isMessageType, messageTypes } from '#domain/messages/message-types.ts';
import { SendFailure, type EmailSender, type MessageLog, type MessageScheduler, type SmsSender, type StoredMessage } from '#domain/messages/ports.ts';
import { renderMessage } from '#domain/messages/render-message.ts';
import { RenderedTooLong, templateId, templateKind, type RenderedMessage } from '#domain/messages/templates.ts';

export interface DeliveryDeps {
  readonly store: RecordStore;
  readonly messages: MessageLog;
  readonly email: EmailSender;
  readonly sms: SmsSender;
  /** Re-arms a timed message that fired outside business hours, for the next opening. */
  readonly scheduler: Pick<MessageScheduler, 'arm'>;
  readonly now: () => Date;
}

export interface Attempt {
  /** 1 on the first delivery of the intent. */
  readonly receiveCount: number;
  /** After this many, a retryable failure is final (and the intent goes to the dead-letter queue). */
  readonly maxReceives: number;
  /**
   * How long this invocation may still run (Lambda's remaining time, less a margin). The lease of
   * the message lasts exactly that long, so it ends when the sender could still be sending.
   */
  readonly remainingMs: number;
}

export type DeliveryOutcome = 'sent' | 'not_sent' | 'already_handled' | 'failed' | 'unknown' | 'moved';

/** No provider call starts with less than this left of the lease: it could not finish within it. */
const minimumSendMs = 2_000;

/**
 * Another sender holds the message (its lease has not run out), or the provider's evidence is not
 * in yet: the queue should bring the request back later, not give it up.
 */
export class MessageBusy extends Error {
  override readonly name = 'MessageBusy';
}

type Recipient = { readonly to: string } | { readonly reason: 'no_consent' | 'no_address' };

/**
 * Where the message goes, or why it may not go: consent first, then an address. An auto-reply (a
 * message about an inbound item, `record`) goes where the person just wrote from: by email even if
 * the card says no to email, because it answers their own request, once, at the address they gave;
 * by SMS only with the card's SMS opt-in, as SMS rules are strict.
 */
export function recipientOf(intent: MessageIntent, client: Client | undefined, settings: Settings, record?: Readonly<Record<string, unknown>>): Recipient {
  if (intent.audience === 'business') {
    return intent.channel === 'email' && settings.contactEmail ? { to: settings.contactEmail } : { reason: 'no_address' };
  }
  if (!client) return { reason: 'no_address' };
  const reply = intent.entity.kind === messageKind;
  if (!client.consent[intent.channel] && !(reply && intent.channel === 'email')) return { reason: 'no_consent' };
  const to = reply ? (record?.replyChannel === intent.channel ? record.replyTo : undefined) : intent.channel === 'email' ? client.email : client.phone;
  return typeof to === 'string' && to !== '' ? { to } : { reason: 'no_address' };
}

/** What delivery decided for the message: send this rendering, or record it as ended with a reason. */
type Decision =
  | { readonly send: ConversationMessage & { readonly to: string; readonly text: string }; readonly html?: string }
  | { readonly ended: ConversationMessage & { readonly status: 'not_sent' | 'failed' } }
  | { readonly moved: ConversationMessage & { readonly status: 'scheduled'; readonly dueAt: string } };

/**
 * The single path every message takes: reload what it is about, decide whether it still applies
 * and may be sent, render it, claim it (the conditional write that makes it happen once), send it
 * under a lease, and record the outcome. Every message ends in one final status; a message left
 * `sending` by a sender that stopped is settled from the provider's evidence before anything is
 * sent again. Retryable failures are thrown, so the queue retries them with backoff.
 */
export async function deliver(intent: MessageIntent, deps: DeliveryDeps, attempt: Attempt): Promise<DeliveryOutcome> {
  const final = attempt.receiveCount >= attempt.maxReceives;
  let decision: Decision;
  try {
    decision = await decide(intent, deps, attempt.receiveCount);
  } catch (error) {
    // A load or render that keeps failing is recorded, not lost in the dead-letter queue.
    if (!final) throw error;
    const at = deps.now().toISOString();
    await record(intent, deps, attempt, { ended: { ...baseMessage(intent, attempt.receiveCount, at), status: 'failed', reason: `failed: ${(error as Error).message}` } });
    throw error;
  }
  if ('moved' in decision) {
    // Not claimed: it stays `scheduled` (now for the opening), and that schedule's firing sends it.
    await deps.scheduler.arm([{ name: scheduleNameOf(intent.tenantId, intent.id as MessageId), at: decision.moved.dueAt, body: JSON.stringify(requestOf(intent)) }]);
    await deps.messages.schedule(intent.tenantId, [decision.moved]);
    return 'moved';
  }
  return record(intent, deps, attempt, decision);
}

/** Claims the message with its decision, first settling what an earlier sender left `sending`. */
async function record(intent: MessageIntent, deps: DeliveryDeps, attempt: Attempt, decision: Exclude<Decision, { moved: unknown }>): Promise<DeliveryOutcome> {
  const { tenantId } = intent;
  const now = deps.now();
  const lease = new Date(now.getTime() + Math.max(0, attempt.remainingMs));
  const message = 'send' in decision ? decision.send : decision.ended;
  const claim = await deps.messages.claim(tenantId, message, lease);
  if (claim.claimed) return 'send' in decision ? send(intent, deps, attempt, decision, lease.toISOString()) : decision.ended.status;

  const { current } = claim;
  if (finalStatuses.includes(current.status)) return 'already_handled';
  if (Date.parse(current.leaseUntil ?? '') > now.getTime()) throw new MessageBusy(`message ${intent.id} is being sent by another sender until ${current.leaseUntil}`);

  // Its sender stopped mid-send: settled from what the provider did with it, or taken over.
  const settled = await settleFromEvidence(tenantId, current, deps);
  if (settled !== 'not_taken') return settled;
  // The provider never took it: take the message over with this delivery's decision.
  const { createdAt: _kept, ...takeover } = message;
  if (!(await deps.messages.transition(tenantId, intent.id, current.leaseUntil ?? '', { ...takeover, leaseUntil: lease.toISOString() }))) {
    throw new MessageBusy(`message ${intent.id} was taken over by another sender meanwhile`);
  }
  return 'send' in decision ? send(intent, deps, attempt, decision, lease.toISOString()) : decision.ended.status;
}

/**
 * Settles a message its sender left `sending` (its lease has passed) from the provider's evidence:
 * `sent` when the provider took it, `unknown` when there is no telling, or `not_taken` when the
 * provider never took it, so a sender may take it over and send it. Throws MessageBusy while the
 * evidence is not in yet, or when another sender settled it first.
 */
export async function settleFromEvidence(tenantId: string, held: StoredMessage, deps: Pick<DeliveryDeps, 'email' | 'sms' | 'messages' | 'store' | 'now'>): Promise<'sent' | 'unknown' | 'not_taken'> {
  const now = deps.now();
  const heldUntil = held.leaseUntil ?? '';
  const sender = held.channel === 'sms' ? deps.sms : deps.email;
  const evidence = await sender.evidence({ tenantId, id: held.id, attemptedAt: held.updatedAt, ...(held.providerAccepted ? { providerAccepted: { providerMessageId: held.providerMessageId ?? '' } } : {}) }, now);
  if (evidence.accepted === false) return 'not_taken';
  if (evidence.accepted === 'pending') throw new MessageBusy(`message ${held.id}: the provider's evidence is not in yet (again in ${evidence.retryAfterMs} ms)`);
  const at = now.toISOString();
  const changes: Partial<ConversationMessage> =
    evidence.accepted === true
      ? { status: 'sent', providerMessageId: evidence.providerMessageId, sentAt: at, updatedAt: at, settledBy: 'evidence' }
      : { status: 'unknown', reason: `unknown: ${evidence.why}`, updatedAt: at, settledBy: 'evidence' };
  if (!(await deps.messages.transition(tenantId, held.id, heldUntil, changes))) throw new MessageBusy(`message ${held.id} was settled by another sender meanwhile`);
  if (evidence.accepted === true && held.audience === 'business') await notify(deps.store, tenantId, held, { ...(held.subject ? { subject: held.subject } : {}), text: held.text ?? '' }, now);
  return evidence.accepted === true ? 'sent' : 'unknown';
}

/** Sends a claimed message within its lease and records the outcome under that lease. */
async function send(intent: MessageIntent, deps: DeliveryDeps, attempt: Attempt, decision: Extract<Decision, { send: unknown }>, heldUntil: string): Promise<DeliveryOutcome> {
  const { tenantId } = intent;
  const message = decision.send;
  const settle = (changes: Partial<ConversationMessage> & { leaseUntil?: string }) => deps.messages.transition(tenantId, intent.id, heldUntil, changes);
  const left = Date.parse(heldUntil) - deps.now().getTime();
  if (left < minimumSendMs) {
    // Too little time to call the provider safely: hand it back untouched by any provider.
    const at = deps.now().toISOString();
    const reason = 'not attempted: too little time left in the invocation';
    if (attempt.receiveCount >= attempt.maxReceives) {
      await settle({ status: 'failed', reason: `failed: ${reason}`, updatedAt: at });
      return 'failed';
    }
    await settle({ status: 'retrying', reason, updatedAt: at, leaseUntil: at });
    throw new MessageBusy(`message ${intent.id}: only ${left} ms left of the lease`);
  }
  const ids = { tenantId, messageId: intent.id };
  try {
    const signal = AbortSignal.timeout(left);
    const receipt =
      intent.channel === 'email'
        ? await deps.email.send({ ...ids, to: message.to, subject: message.subject ?? '', text: message.text, html: decision.html ?? message.text, messageType: intent.messageType }, signal)
        : await deps.sms.send({ ...ids, to: message.to, text: message.text }, signal);
    const sentAt = deps.now().toISOString();
    await settle({ status: 'sent', providerMessageId: receipt.providerMessageId, sentAt, updatedAt: sentAt });
    if (intent.audience === 'business') await notify(deps.store, tenantId, message, message, deps.now());
    return 'sent';
  } catch (error) {
    const failure = error instanceof SendFailure ? error : new SendFailure((error as Error).message, true, true);
    const final = !failure.retryable || attempt.receiveCount >= attempt.maxReceives;
    const reason = `failed: ${failure.message}`;
    const at = deps.now().toISOString();
    if (failure.ambiguous) {
      // The provider may have taken it. On the last receive nothing will look again, so say so;
      // otherwise the lease ends now and the next receive settles it from evidence.
      await settle(final ? { status: 'unknown', reason: `unknown: the provider's answer was lost (${failure.message})`, updatedAt: at } : { reason, updatedAt: at, leaseUntil: at });
      if (final) return 'unknown';
      throw failure;
    }
    // The provider refused it: a retry may take the message over at once.
    await settle(final ? { status: 'failed', reason, updatedAt: at } : { status: 'retrying', reason, updatedAt: at, leaseUntil: at });
    if (failure.retryable) throw failure;
    return 'failed';
  }
}

function baseMessage(intent: MessageIntent, attempts: number, at: string): ConversationMessage {
  return {
    id: intent.id,
    clientId: intent.clientId,
    direction: 'outbound',
    channel: intent.channel,
    messageType: intent.messageType,
    audience: intent.audience,
    ruleId: intent.ruleId,
    entity: { kind: intent.entity.kind, id: intent.entity.id },
    status: 'sending',
    attempts,
    createdAt: at,
    updatedAt: at,
  };
}

/** Reloads what the message is about and decides: the rendering to send, or why it ends unsent. */
async function decide(intent: MessageIntent, deps: DeliveryDeps, attempts: number): Promise<Decision> {
  const { tenantId } = intent;
  const entityRef: { kind: RecordKind; id: string } = { kind: intent.entity.kind, id: intent.entity.id };
  const refs: { kind: RecordKind; id: string }[] = [
    // A message about the client (from the card) reads it once: a batch read refuses a key twice.
    ...(entityRef.kind === clientKind ? [] : [entityRef]),
    { kind: clientKind, id: intent.clientId },
    { kind: settingsKind, id: settingsId },
    { kind: automatedMessagesKind, id: automatedMessagesId },
    { kind: templateKind, id: templateId(intent.messageType, intent.channel) },
    ...(intent.locationId ? [{ kind: locationKind, id: intent.locationId } as const] : []),
    ...(intent.timed && !isSystemRule(intent.ruleId) ? [{ kind: ruleKind, id: intent.ruleId } as const] : []),
  ];
  const loaded = await deps.store.getMany(tenantId, refs);
  const record: Readonly<Record<string, unknown>> | undefined = loaded.get(entityRef.kind, entityRef.id);
  const client = loaded.get(clientKind, intent.clientId);
  const settings = loaded.get(settingsKind, settingsId) ?? defaultSettings;
  const automated = automatedMessagesOf(loaded.get(automatedMessagesKind, automatedMessagesId));

  const now = deps.now();
  const base = baseMessage(intent, attempts, now.toISOString());
  const rule = intent.timed ? timedRuleNow(intent.ruleId, automated, loaded.get(ruleKind, intent.ruleId)) : undefined;
  let skipped = skippedReason(intent, now);
  let stale = skipped ? undefined : staleness(intent, record, rule && timingKey(rule));
  const location = skipped || stale ? undefined : await currentLocation(deps.store, tenantId, record!, intent, loaded);
  const fire: FireCheck =
    rule && !skipped && !stale
      ? checkAtFire({ id: intent.id, entity: { kind: intent.entity.kind as TriggeringKind } }, rule, record as RecordImage, location ? { timeZone: location.timeZone, businessHours: location.businessHours } : { timeZone: settings.timeZone }, now)
      : { go: true };
  if ('moveTo' in fire) return { moved: { ...base, status: 'scheduled', dueAt: fire.moveTo, attempts: 0 } };
  if ('skipped' in fire) skipped = fire.skipped;
  if ('stale' in fire) stale = fire.stale;
  const recipient = stale || skipped ? undefined : recipientOf(intent, client, settings, record);
  if (skipped || stale || !recipient || 'reason' in recipient) {
    const reason = skipped ? `skipped: ${skipped}` : stale ? `stale: ${stale}` : (recipient as { reason: string }).reason;
    return { ended: { ...base, status: 'not_sent', reason } };
  }

  let rendered: RenderedMessage;
  try {
    rendered = renderMessage({
      message: intent,
      record: record!,
      previous: previousRecord(intent),
      content: intent.content,
      client,
      settings,
      automated,
      template: loaded.get(templateKind, templateId(intent.messageType, intent.channel)),
      location,
    });
  } catch (error) {
    // Over the channel's limit with this record's values: recorded as failed, never sent nor retried.
    if (!(error instanceof RenderedTooLong)) throw error;
    return { ended: { ...base, status: 'failed', reason: 'too_long' } };
  }
  return {
    send: { ...base, to: recipient.to, text: rendered.text, ...(rendered.subject ? { subject: rendered.subject } : {}) },
    ...(rendered.html ? { html: rendered.html } : {}),
  };
}

const isSystemRule = (ruleId: string): boolean => ruleId.startsWith('system.');

/** A timed message decided as skipped when armed, or fired after its limit (a reminder after the appointment). */
function skippedReason(intent: MessageIntent, now: Date): string | undefined {
  const { timed } = intent;
  if (!timed) return undefined;
  if (timed.skipped) return timed.skipped;
  return timed.notAfter !== undefined && now.getTime() >= Date.parse(timed.notAfter) ? 'too_late' : undefined;
}

/** The message's timed rule as it is now, or undefined when the rule is off or gone. */
const timedRuleNow = (ruleId: string, automated: AutomatedMessagesInput, customRule: CustomRule | undefined): TimedRule | undefined =>
  isSystemRule(ruleId) ? timedSystemRules(automated).find((candidate) => candidate.id === ruleId) : customRule && customTimedRule(customRule);

/**
 * The business's notifications list gets what a business-audience message said, once per message
 * (its id is the message's), whatever became of the email: the list is where the business looks.
 */
async function notify(store: RecordStore, tenantId: string, message: ConversationMessage, rendered: { subject?: string; text: string }, now: Date): Promise<void> {
  const at = now.toISOString();
  const { entity } = message;
  if (!entity || !isMessageType(message.messageType)) throw new Error(`message ${message.id} is no business message: it has no record or no message type`);
  const notification: Notification = {
    id: message.id,
    version: 1,
    createdAt: at,
    updatedAt: at,
    messageType: message.messageType,
    title: rendered.subject ?? messageTypes[message.messageType].description,
    text: rendered.text,
    entity: { kind: entity.kind, id: entity.id },
    clientId: message.clientId,
    link: recordLink(entity.kind, entity.id),
    read: false,
  };
  await createOnce(store, tenantId, notificationKind, notification);
}

/** The location the record is at now; read again only if it moved since the message was decided. */
async function currentLocation(store: RecordStore, tenantId: string, record: Readonly<Record<string, unknown>>, intent: MessageIntent, loaded: RecordSet) {
  const locationId = typeof record.locationId === 'string' ? record.locationId : undefined;
  if (!locationId) return undefined;
  return loaded.get(locationKind, locationId) ?? (await store.get(tenantId, locationKind, locationId));
}
