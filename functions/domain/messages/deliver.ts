import { bookingKind } from '#domain/bookings.ts';
import { clientKind, suppressionFor, type Client } from '#domain/clients.ts';
import { DomainError } from '#domain/errors.ts';
import { revise } from '#domain/record.ts';
import { locationKind } from '#domain/locations.ts';
import { createOnce, type RecordSet, type RecordStore } from '#domain/record-store.ts';
import type { RecordKind } from '#domain/record-kinds.ts';
import { defaultSettings, settingsId, settingsKind, type Settings } from '#domain/settings.ts';
import { effectiveSender, senderIdentityId, senderIdentityKind } from '#domain/sender.ts';
import { finalStatuses, messageKind, type ConversationMessage } from '#domain/messages/conversation.ts';
import { previousRecord, requestOf, staleness, type MessageIntent } from '#domain/messages/message-intent.ts';
import { checkAtFire, type FireCheck } from '#domain/messages/timed-messages.ts';
import { scheduleNameOf, type MessageId } from '#domain/identities.ts';
import type { RecordImage } from '#domain/messages/events.ts';
import { automatedMessagesId, automatedMessagesKind, automatedMessagesOf, customTimedRule, ruleKind, skipsPast, timedSystemRules, timingKey, type AutomatedMessagesInput, type CustomRule, type TimedRule } from '#domain/messages/rules.ts';
import { notificationKind, recordLink, type Notification } from '#domain/notifications.ts';
import { isMessageType, messageTypeDeclarations, messageTypes, type TriggeringKind } from '#domain/messages/message-types.ts';
import type { MessageTypeDeclaration } from '#domain/messages/types/declaration.ts';
import { RecipientOptedOut, SendFailure, type EmailMessage, type EmailSender, type MessageLog, type MessageScheduler, type SmsSender, type StoredMessage } from '#domain/messages/ports.ts';
import { renderMessage } from '#domain/messages/render-message.ts';
import { RenderedTooLong, type RenderedMessage } from '#domain/messages/templates.ts';
import { templateId, templateKind } from '#domain/messages/template-record.ts';
import { isUnsubscribed, marketingKindOf, preferencesFooter } from '#domain/unsubscribe.ts';
import type { UnsubscribeClaims } from '#domain/unsubscribe-token.ts';
import { defaultPlan, monthIn, planId, planKind, plans, smsBudgetOf, type SmsUsage } from '#domain/plans.ts';
import { smsInfo } from '#domain/messages/sms-encoding.ts';
import { giveBackSmsBudget, takeSmsBudget, type SmsBudgetCharge } from '#domain/messages/sms-budget.ts';

export interface DeliveryDeps {
  readonly store: RecordStore;
  readonly messages: MessageLog;
  readonly email: EmailSender;
  readonly sms: SmsSender;
  /** The signed link to the client's unsubscribe and preferences page (`/public/unsubscribe`) for these claims. */
  readonly unsubscribeLink: (claims: UnsubscribeClaims) => Promise<string>;
  /** The business's monthly SMS counter: each SMS takes its segments before it is sent. */
  readonly smsUsage: SmsUsage;
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

type Recipient = { readonly to: string } | { readonly reason: string };

/**
 * Where the message goes, or why it may not go: consent first, then an address, then the business's
 * suppression of that address (`suppressed: <event> of message <id> at <time>`). An auto-reply (a
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
  if (typeof to !== 'string' || to === '') return { reason: 'no_address' };
  const suppressed = suppressionFor(client, intent.channel, to);
  return suppressed ? { reason: `suppressed: ${suppressed.cause.event} of message ${suppressed.cause.messageId} at ${suppressed.cause.at}` } : { to };
}

/** What delivery decided for the message: send this rendering, or record it as ended with a reason. */
type Decision =
  | { readonly send: ConversationMessage & { readonly to: string; readonly text: string }; readonly html?: string; readonly sender?: EmailMessage['sender']; readonly listUnsubscribe?: string; readonly charge?: SmsBudgetCharge }
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
  const { charge } = decision;
  if (charge) {
    let taken: boolean;
    try {
      taken = await takeSmsBudget(deps, tenantId, intent.id, charge);
    } catch (error) {
      // Nothing reached the provider: the message is handed back for the queue's next try (the segments, if taken, stay this message's).
      const at = deps.now().toISOString();
      const reason = `not attempted: the SMS budget could not be taken (${(error as Error).message})`;
      await settle(attempt.receiveCount >= attempt.maxReceives ? { status: 'failed', reason: `failed: ${reason}`, updatedAt: at } : { status: 'retrying', reason, updatedAt: at, leaseUntil: at });
      throw error;
    }
    if (!taken) {
      await settle({ status: 'not_sent', reason: 'sms_budget_exhausted', updatedAt: deps.now().toISOString() });
      return 'not_sent';
    }
  }
  const ids = { tenantId, messageId: intent.id };
  try {
    const signal = AbortSignal.timeout(left);
    const receipt =
      intent.channel === 'email'
        ? await deps.email.send(
            { ...ids, to: message.to, subject: message.subject ?? '', text: message.text, html: decision.html ?? message.text, messageType: intent.messageType, ...(decision.sender ? { sender: decision.sender } : {}), ...(decision.listUnsubscribe ? { listUnsubscribe: decision.listUnsubscribe } : {}) },
            signal,
          )
        : await deps.sms.send({ ...ids, to: message.to, text: message.text }, signal);
    const sentAt = deps.now().toISOString();
    await settle({ status: 'sent', providerMessageId: receipt.providerMessageId, sentAt, updatedAt: sentAt });
    if (intent.audience === 'business') await notify(deps.store, tenantId, message, message, deps.now());
    return 'sent';
  } catch (error) {
    if (error instanceof RecipientOptedOut) {
      const at = deps.now().toISOString();
      await settle({ status: 'not_sent', reason: 'opted_out', updatedAt: at });
      await recordOptOut(deps.store, tenantId, intent.clientId, { phone: message.to, messageId: intent.id, at });
      return 'not_sent';
    }
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
    // Failed for sure, so never sent: its segments go back to the month (a retry keeps them, and takes none again).
    if (final && charge) await giveBackSmsBudget(deps, tenantId, intent.id, charge);
    if (failure.retryable) throw failure;
    return 'failed';
  }
}

/**
 * Turns off the client's SMS consent after the provider found the number opted out, noting why on
 * the card. Only while the card still has that number with consent on: a client edited since (a new
 * number, consent already off) is left as the business made it.
 */
async function recordOptOut(store: RecordStore, tenantId: string, clientId: string, optOut: { phone: string; messageId: string; at: string }): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const client = await store.get(tenantId, clientKind, clientId);
    if (!client || client.phone !== optOut.phone || !client.consent.sms) return;
    const next = revise(client, { consent: { ...client.consent, sms: false }, smsOptOut: { reason: 'opted_out', ...optOut } }, new Date(optOut.at));
    try {
      await store.put(tenantId, clientKind, next, { expected: client.version });
      return;
    } catch (error) {
      // Edited meanwhile: read it again and decide on what it is now.
      if (!(error instanceof DomainError && error.code === 'version_mismatch')) throw error;
    }
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
    // Read with the rest: who the email is from costs no call of its own.
    ...(intent.channel === 'email' ? [{ kind: senderIdentityKind, id: senderIdentityId } as const] : []),
    { kind: automatedMessagesKind, id: automatedMessagesId },
    { kind: templateKind, id: templateId(intent.messageType, intent.channel) },
    ...(intent.locationId ? [{ kind: locationKind, id: intent.locationId } as const] : []),
    // A custom rule's own record says whether its timing still holds and whether it is marketing.
    ...(isCustomRule(intent.ruleId) ? [{ kind: ruleKind, id: intent.ruleId } as const] : []),
    { kind: planKind, id: planId },
  ];
  const loaded = await deps.store.getMany(tenantId, refs);
  const record: Readonly<Record<string, unknown>> | undefined = loaded.get(entityRef.kind, entityRef.id);
  const client = loaded.get(clientKind, intent.clientId);
  const settings = loaded.get(settingsKind, settingsId) ?? defaultSettings;
  const automated = automatedMessagesOf(loaded.get(automatedMessagesKind, automatedMessagesId));
  const plan = loaded.get(planKind, planId) ?? defaultPlan;
  // On the free plan no SMS goes, and custom texts (kept from a paid plan) give way to the defaults.
  const paid = plans[plan.plan].paid;

  const now = deps.now();
  const base = baseMessage(intent, attempts, now.toISOString());
  const customRule = loaded.get(ruleKind, intent.ruleId);
  const rule = intent.timed ? timedRuleNow(intent.ruleId, automated, customRule) : undefined;
  let skipped = skippedReason(intent, now) ?? pastReason(intent, record, automated) ?? (await bookedAgainReason(intent, record, deps.store));
  let stale = skipped ? undefined : staleness(intent, record, rule && timingKey(rule));
  const location = skipped || stale ? undefined : await currentLocation(deps.store, tenantId, record!, intent, loaded);
  const fire: FireCheck =
    rule && !skipped && !stale
      ? checkAtFire({ id: intent.id, entity: { kind: intent.entity.kind as TriggeringKind } }, rule, record as RecordImage, location ? { timeZone: location.timeZone, businessHours: location.businessHours } : { timeZone: settings.timeZone }, now)
      : { go: true };
  if ('moveTo' in fire) return { moved: { ...base, status: 'scheduled', dueAt: fire.moveTo, attempts: 0 } };
  if ('skipped' in fire) skipped = fire.skipped;
  if ('stale' in fire) stale = fire.stale;
  const planRefuses = !skipped && !stale && intent.channel === 'sms' && !paid;
  const recipient = stale || skipped || planRefuses ? undefined : recipientOf(intent, client, settings, record);
  if (skipped || stale || planRefuses || !recipient || 'reason' in recipient) {
    const reason = skipped ? `skipped: ${skipped}` : stale ? `stale: ${stale}` : planRefuses ? 'plan' : (recipient as { reason: string }).reason;
    return { ended: { ...base, status: 'not_sent', reason } };
  }
  const marketingKind = intent.audience === 'client' ? marketingKindOf(intent.messageType, customRule) : undefined;
  if (intent.audience === 'client' && isUnsubscribed(client?.unsubscribed, intent.channel, { kind: marketingKind, reply: intent.entity.kind === messageKind })) {
    return { ended: { ...base, status: 'not_sent', reason: 'unsubscribed' } };
  }

  const language = (intent.audience === 'client' ? client?.language : undefined) ?? settings.defaultLanguage;
  // A client's email ends with the link to their preferences page; a marketing one's is also its List-Unsubscribe.
  const link = intent.audience === 'client' && intent.channel === 'email' ? await deps.unsubscribeLink({ tenantId, clientId: intent.clientId, channel: intent.channel, kind: marketingKind }) : undefined;
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
      ownTexts: paid,
      footer: link ? preferencesFooter(language, link, marketingKind !== undefined) : undefined,
    });
  } catch (error) {
    // Over the channel's limit with this record's values: recorded as failed, never sent nor retried.
    if (!(error instanceof RenderedTooLong)) throw error;
    return { ended: { ...base, status: 'failed', reason: 'too_long' } };
  }
  const { name, address, replyTo, tenantName } = effectiveSender(settings, loaded.get(senderIdentityKind, senderIdentityId));
  const charge: SmsBudgetCharge | undefined =
    intent.channel === 'sms'
      ? { month: monthIn(now, settings.timeZone), segments: smsInfo(rendered.text).segments, budget: smsBudgetOf(plan), business: { contactEmail: settings.contactEmail, language: settings.defaultLanguage } }
      : undefined;
  return {
    send: { ...base, to: recipient.to, text: rendered.text, ...(rendered.subject ? { subject: rendered.subject } : {}) },
    ...(rendered.html ? { html: rendered.html } : {}),
    ...(intent.channel === 'email' ? { sender: { name, ...(address ? { address } : {}), ...(replyTo ? { replyTo } : {}), ...(tenantName ? { tenantName } : {}) } } : {}),
    ...(link && marketingKind ? { listUnsubscribe: link } : {}),
    ...(charge ? { charge } : {}),
  };
}

const isSystemRule = (ruleId: string): boolean => ruleId.startsWith('system.');
/** A rule the business made (`/rules`): neither the settings page's (`system.`) nor a card action's (`manual.`). */
const isCustomRule = (ruleId: string): boolean => !isSystemRule(ruleId) && !ruleId.startsWith('manual.');

/** A timed message decided as skipped when armed, or fired after its limit (a reminder after the appointment). */
function skippedReason(intent: MessageIntent, now: Date): string | undefined {
  const { timed } = intent;
  if (!timed) return undefined;
  if (timed.skipped) return timed.skipped;
  return timed.notAfter !== undefined && now.getTime() >= Date.parse(timed.notAfter) ? 'too_late' : undefined;
}

/** An event message about a record whose time had passed when it was made (a booking entered afterwards), if its type skips those. */
function pastReason(intent: MessageIntent, record: Readonly<Record<string, unknown>> | undefined, automated: AutomatedMessagesInput): 'in_the_past' | undefined {
  const { schedule } = intent.expected;
  if (intent.timed || schedule === null || !skipsPast(automated, intent.messageType)) return undefined;
  const madeAt = typeof record?.createdAt === 'string' ? record.createdAt : intent.decidedAt;
  return Date.parse(schedule) < Date.parse(madeAt) ? 'in_the_past' : undefined;
}

/** Statuses of a booking that show the client came back: one ahead, or a later visit. */
const bookedStatuses = ['pending', 'confirmed', 'completed'];

/**
 * A message sent only while the client has booked nothing since its booking (re-engagement): any
 * other booking of theirs, starting at or after this one and not cancelled or rejected, ends it.
 */
async function bookedAgainReason(intent: MessageIntent, record: Readonly<Record<string, unknown>> | undefined, store: RecordStore): Promise<'booked_again' | undefined> {
  const declaration: MessageTypeDeclaration = messageTypeDeclarations[intent.messageType];
  if (!('unlessBookedAgain' in declaration) || !declaration.unlessBookedAgain || intent.entity.kind !== bookingKind || typeof record?.start !== 'string') return undefined;
  let cursor: string | undefined;
  do {
    const page = await store.list(intent.tenantId, bookingKind, { order: { by: 'client', clientId: intent.clientId, from: record.start }, where: { status: bookedStatuses }, limit: 10, ...(cursor ? { cursor } : {}) });
    if (page.items.some((booking) => booking.id !== intent.entity.id)) return 'booked_again';
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return undefined;
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
