import { clientKind, type Client } from '#domain/clients.ts';
import { locationKind } from '#domain/locations.ts';
import { createOnce, refKey, type RecordStore, type StoredRecord } from '#domain/record-store.ts';
import { defaultSettings, settingsId, settingsKind, type Settings } from '#domain/settings.ts';
import { messageKind, type ConversationMessage } from '#domain/messages/conversation.ts';
import { previousRecord, staleness, type MessageIntent } from '#domain/messages/message-intent.ts';
import { automatedMessagesId, automatedMessagesKind, automatedMessagesOf, customTextFor, customTimedRule, ruleKind, timedSystemRules, timingKey, type AutomatedMessagesInput, type CustomRule } from '#domain/messages/rules.ts';
import { notificationKind, recordLink, type Notification } from '#domain/notifications.ts';
import { messageTypes } from '#domain/messages/message-types.ts';
import { SendFailure, type EmailSender, type MessageLog, type SmsSender } from '#domain/messages/ports.ts';
import { messageVariables } from '#domain/messages/message-variables.ts';
import { effectiveTemplate, RenderedTooLong, renderTemplate, templateId, templateKind, templateOverrideOf, type RenderedMessage } from '#domain/messages/templates.ts';

export interface DeliveryDeps {
  readonly store: RecordStore;
  readonly messages: MessageLog;
  readonly email: EmailSender;
  readonly sms: SmsSender;
  readonly now: () => Date;
}

export interface Attempt {
  /** 1 on the first delivery of the intent. */
  readonly receiveCount: number;
  /** After this many, a retryable failure is final (and the intent goes to the dead-letter queue). */
  readonly maxReceives: number;
}

export type DeliveryOutcome = 'sent' | 'not_sent' | 'already_handled' | 'failed';

/** A sender that died mid-send holds its message this long before another may take it over. */
const leaseMs = 60_000;

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

/**
 * The single path every message takes: reload what it is about, check it still applies and may be
 * sent, render it, record it (the conditional write that makes it happen once), send it, and record
 * the outcome. Retryable provider failures are thrown, so the queue retries them with backoff.
 */
export async function deliver(intent: MessageIntent, deps: DeliveryDeps, attempt: Attempt): Promise<DeliveryOutcome> {
  const { tenantId } = intent;
  const entityRef = { kind: intent.entity.kind, id: intent.entity.id };
  const loaded = await deps.store.getMany(tenantId, [
    // A message about the client (from the card) reads it once: a batch read refuses a key twice.
    ...(entityRef.kind === clientKind ? [] : [entityRef]),
    { kind: clientKind, id: intent.clientId },
    { kind: settingsKind, id: settingsId },
    { kind: automatedMessagesKind, id: automatedMessagesId },
    { kind: templateKind, id: templateId(intent.messageType, intent.channel) },
    ...(intent.locationId ? [{ kind: locationKind, id: intent.locationId }] : []),
    ...(intent.timed && !isSystemRule(intent.ruleId) ? [{ kind: ruleKind, id: intent.ruleId }] : []),
  ]);
  const record = loaded.get(refKey(entityRef.kind, entityRef.id));
  const client = loaded.get(refKey(clientKind, intent.clientId)) as Client | undefined;
  const settings = (loaded.get(refKey(settingsKind, settingsId)) as unknown as Settings | undefined) ?? defaultSettings;
  const automated = automatedMessagesOf(loaded.get(refKey(automatedMessagesKind, automatedMessagesId)));

  const now = deps.now();
  const base: ConversationMessage = {
    id: intent.id,
    clientId: intent.clientId,
    direction: 'outbound',
    channel: intent.channel,
    messageType: intent.messageType,
    audience: intent.audience,
    ruleId: intent.ruleId,
    entity: entityRef,
    status: 'sending',
    attempts: attempt.receiveCount,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };

  const skipped = skippedReason(intent, now);
  const stale = skipped ? undefined : staleness(intent, record, intent.timed ? ruleTimingNow(intent.ruleId, automated, loaded.get(refKey(ruleKind, intent.ruleId))) : undefined);
  const recipient = stale || skipped ? undefined : recipientOf(intent, client, settings, record);
  if (skipped || stale || !recipient || 'reason' in recipient) {
    const reason = skipped ? `skipped: ${skipped}` : stale ? `stale: ${stale}` : (recipient as { reason: string }).reason;
    const claimed = await deps.messages.claim(tenantId, { ...base, status: 'not_sent', reason }, now, now);
    return claimed ? 'not_sent' : 'already_handled';
  }

  const location = await currentLocation(deps.store, tenantId, record!, intent, loaded);
  const language = (intent.audience === 'client' ? client?.language : undefined) ?? settings.defaultLanguage;
  const source = effectiveTemplate({
    messageType: intent.messageType,
    channel: intent.channel,
    language,
    override: templateOverrideOf(loaded.get(refKey(templateKind, templateId(intent.messageType, intent.channel)))),
    customText: customTextFor(automated, intent.ruleId),
  });
  const variables = messageVariables({
    messageType: intent.messageType,
    language,
    business: { name: settings.businessName, timeZone: settings.timeZone },
    ...(location ? { location: { name: String(location.name), timeZone: String(location.timeZone) } } : {}),
    client: { firstName: client?.firstName ?? '', ...(client?.lastName ? { lastName: client.lastName } : {}) },
    record: record!,
    ...(previousRecord(intent) ? { previous: previousRecord(intent)! } : {}),
    ...(intent.content ? { content: intent.content } : {}),
  });
  let rendered: RenderedMessage;
  try {
    rendered = renderTemplate(source, variables, intent.channel);
  } catch (error) {
    // Over the channel's limit with this record's values: recorded as failed, never sent nor retried.
    if (!(error instanceof RenderedTooLong)) throw error;
    return (await deps.messages.claim(tenantId, { ...base, status: 'failed', reason: 'too_long' }, now, now)) ? 'failed' : 'already_handled';
  }
  const message: ConversationMessage = { ...base, to: recipient.to, text: rendered.text, ...(rendered.subject ? { subject: rendered.subject } : {}) };

  if (!(await deps.messages.claim(tenantId, message, new Date(now.getTime() + leaseMs), now))) return 'already_handled';

  try {
    const receipt =
      intent.channel === 'email'
        ? await deps.email.send({ to: recipient.to, subject: rendered.subject ?? '', text: rendered.text, html: rendered.html ?? rendered.text, tags: { tenant: tenantId, type: intent.messageType } })
        : await deps.sms.send({ to: recipient.to, text: rendered.text });
    const sentAt = deps.now().toISOString();
    await deps.messages.update(tenantId, intent.id, { status: 'sent', providerMessageId: receipt.providerMessageId, sentAt, updatedAt: sentAt });
    if (intent.audience === 'business') await notify(deps.store, tenantId, intent, rendered, deps.now());
    return 'sent';
  } catch (error) {
    const retryable = !(error instanceof SendFailure) || error.retryable;
    const final = !retryable || attempt.receiveCount >= attempt.maxReceives;
    const reason = `failed: ${(error as Error).message}`;
    const at = deps.now().toISOString();
    // A retry may take the message over at once: the lease ends now.
    await deps.messages.update(tenantId, intent.id, final ? { status: 'failed', reason, updatedAt: at } : { status: 'retrying', reason, updatedAt: at, leaseUntil: at });
    if (retryable) throw error;
    return 'failed';
  }
}

const isSystemRule = (ruleId: string): boolean => ruleId.startsWith('system.');

/** A timed message decided as skipped when armed, or fired after its limit (a reminder after the appointment). */
function skippedReason(intent: MessageIntent, now: Date): string | undefined {
  const { timed } = intent;
  if (!timed) return undefined;
  if (timed.skipped) return timed.skipped;
  return timed.notAfter !== undefined && now.getTime() >= Date.parse(timed.notAfter) ? 'too_late' : undefined;
}

/** The timing the message's rule has now, or undefined when the rule is off or gone. */
function ruleTimingNow(ruleId: string, automated: AutomatedMessagesInput, customRule: StoredRecord | undefined): string | undefined {
  const rule = isSystemRule(ruleId) ? timedSystemRules(automated).find((candidate) => candidate.id === ruleId) : customRule && customTimedRule(customRule as unknown as CustomRule);
  return rule ? timingKey(rule) : undefined;
}

/**
 * The business's notifications list gets what a business-audience message said, once per message
 * (its id is the message's), whatever became of the email: the list is where the business looks.
 */
async function notify(store: RecordStore, tenantId: string, intent: MessageIntent, rendered: { subject?: string; text: string }, now: Date): Promise<void> {
  const at = now.toISOString();
  const notification: Notification = {
    id: intent.id,
    version: 1,
    createdAt: at,
    updatedAt: at,
    messageType: intent.messageType,
    title: rendered.subject ?? messageTypes[intent.messageType].description,
    text: rendered.text,
    entity: { kind: intent.entity.kind, id: intent.entity.id },
    clientId: intent.clientId,
    link: recordLink(intent.entity.kind, intent.entity.id),
    read: false,
  };
  await createOnce(store, tenantId, notificationKind, notification);
}

/** The location the record is at now; read again only if it moved since the message was decided. */
async function currentLocation(store: RecordStore, tenantId: string, record: StoredRecord, intent: MessageIntent, loaded: Map<string, StoredRecord>) {
  const locationId = typeof record.locationId === 'string' ? record.locationId : undefined;
  if (!locationId) return undefined;
  return loaded.get(refKey(locationKind, locationId)) ?? (await store.get(tenantId, locationKind, locationId));
}
