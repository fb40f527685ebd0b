import * as z from 'zod';
import { RecordMeta } from '#domain/record.ts';
import { Language, Name, RecordId } from '#domain/values.ts';
import { bookingStatuses } from '#domain/bookings.ts';
import { channels, messageTypeDeclarations, messageTypeNames, messageTypes, renderedLimits, templateLimits, type Channel, type MessageType, type TriggeringKind } from '#domain/messages/message-types.ts';
import type { AutoReplySending, EventSending, MessageTypeDeclaration, TimedSending } from '#domain/messages/types/declaration.ts';
import type { DomainEvent, EventTrigger } from '#domain/messages/events.ts';
import { formatOffset, Offset } from '#domain/messages/timing.ts';
import { deepMerge } from '#domain/stored-defaults.ts';

/** One model for every automated message: the settings page expands to rules of this shape. */
export interface Rule {
  readonly id: string;
  /** `before_schedule` rules are timed (see `customTimedRule`): no event matches them. */
  readonly trigger: { readonly entity: TriggeringKind; readonly on: EventTrigger | 'before_schedule'; readonly toStatus?: string };
  readonly audience: 'client' | 'business';
  readonly channel: Channel;
  readonly template: MessageType;
  readonly locations: 'all' | readonly string[];
  readonly businessHoursOnly: boolean;
  readonly enabled: boolean;
  /** "Postpone sending": the message goes this long after the event. */
  readonly delay?: Offset;
}

/** What a timed message is timed against: an attribute of the record, an instant or a calendar date. */
export const anchors = { start: 'instant', end: 'instant', scheduledAt: 'instant', dueDate: 'date', expiresOn: 'date' } as const;
export type Anchor = keyof typeof anchors;

/**
 * A message timed against a record's own time rather than an event: a reminder before an
 * appointment, a follow-up after it, a reminder after an invoice's due date. It is armed while the
 * record is in one of `holdsWhile` and has the anchor, and delivery sends it only if that still holds.
 */
export interface TimedRule {
  readonly id: string;
  readonly entity: TriggeringKind;
  readonly anchor: Anchor;
  readonly direction: 'before' | 'after';
  readonly offset: Offset;
  /** The statuses in which the message still applies; 'any' for records with the tenant's own statuses. */
  readonly holdsWhile: 'any' | readonly string[];
  readonly audience: 'client' | 'business';
  readonly channel: Channel;
  readonly template: MessageType;
  readonly locations: 'all' | readonly string[];
  readonly businessHoursOnly: boolean;
  /** Armed after its time (a booking made late), it is still sent if no later than this; else skipped. */
  readonly sendLateWithin?: Offset;
}

/** When a timed rule fires for a record: a rule whose timing changed makes other messages. */
export const timingKey = (rule: TimedRule): string => `${rule.direction}.${rule.anchor}.${formatOffset(rule.offset)}`;

/** Custom rules are on the records a business schedules and tracks. */
export const customRuleEntities = ['booking', 'order', 'lead'] as const;

const RuleTrigger = z.strictObject({
  entity: z.enum(customRuleEntities),
  /** `before_schedule`: a reminder `offset` before the record's scheduled time (appointments and orders). */
  on: z.enum(['created', 'status_changed', 'schedule_changed', 'before_schedule']),
  /** With `status_changed`: only changes to this status; with `created`: only records created in it. */
  toStatus: z.string().trim().min(1).max(40).optional(),
  /** With `before_schedule`: how long before the scheduled time. */
  offset: Offset.optional(),
});

const CustomRuleFields = z.strictObject({
  name: Name,
  trigger: RuleTrigger,
  audience: z.enum(['client', 'business']),
  channel: z.enum(channels),
  template: z.enum(messageTypeNames),
  locations: z.union([z.literal('all'), z.array(RecordId).min(1).max(100)]),
  businessHoursOnly: z.boolean(),
  enabled: z.boolean(),
  /** "Postpone sending": send this long after the event (event triggers only). */
  delay: Offset.optional(),
  /** For reminders armed after their time (a late booking): still send if no later than this; by default they are skipped. */
  sendLateWithin: Offset.optional(),
  marketing: z.boolean().meta({
    description: 'Not strictly transactional (a promotion, an invitation): its emails carry List-Unsubscribe (RFC 8058), and a client who unsubscribed from this rule or from all marketing email does not get it. Default false',
  }),
});

const ruleIssues = (rule: z.infer<typeof CustomRuleFields>, context: z.core.$RefinementCtx) => {
  if (messageTypes[rule.template].entity !== rule.trigger.entity) {
    context.addIssue({ code: 'custom', path: ['template'], message: `must be a ${rule.trigger.entity} message type` });
  }
  if ((rule.trigger.on === 'schedule_changed' || rule.trigger.on === 'before_schedule') && rule.trigger.entity === 'lead') {
    context.addIssue({ code: 'custom', path: ['trigger', 'on'], message: 'leads have no schedule' });
  }
  if ((rule.trigger.on === 'schedule_changed' || rule.trigger.on === 'before_schedule') && rule.trigger.toStatus !== undefined) {
    context.addIssue({ code: 'custom', path: ['trigger', 'toStatus'], message: 'only goes with created or status_changed' });
  }
  const timed = rule.trigger.on === 'before_schedule';
  if (timed && rule.trigger.offset === undefined) context.addIssue({ code: 'custom', path: ['trigger', 'offset'], message: 'is required with before_schedule' });
  if (!timed && rule.trigger.offset !== undefined) context.addIssue({ code: 'custom', path: ['trigger', 'offset'], message: 'only goes with before_schedule' });
  if (timed && rule.delay !== undefined) context.addIssue({ code: 'custom', path: ['delay'], message: 'does not go with before_schedule: the offset says when' });
  if (!timed && rule.sendLateWithin !== undefined) context.addIssue({ code: 'custom', path: ['sendLateWithin'], message: 'only goes with before_schedule' });
  if (rule.trigger.entity === 'booking' && rule.trigger.toStatus !== undefined && !(bookingStatuses as readonly string[]).includes(rule.trigger.toStatus)) {
    context.addIssue({ code: 'custom', path: ['trigger', 'toStatus'], message: `must be one of ${bookingStatuses.join(', ')}` });
  }
};

export const CustomRuleInput = CustomRuleFields.extend({
  locations: CustomRuleFields.shape.locations.default('all'),
  businessHoursOnly: CustomRuleFields.shape.businessHoursOnly.default(false),
  enabled: CustomRuleFields.shape.enabled.default(true),
  marketing: CustomRuleFields.shape.marketing.default(false),
}).superRefine(ruleIssues);
export const CustomRulePatch = CustomRuleFields.partial();
// Rules stored before `marketing` existed read as transactional.
export const CustomRule = CustomRuleFields.extend({ marketing: CustomRuleFields.shape.marketing.default(false) }).extend(RecordMeta.shape);
export type CustomRule = z.infer<typeof CustomRule>;

export const ruleKind = 'rule';

// The settings page ("automated messages"): one document, expanded to system rules.

const CustomText = z
  .strictObject({ email: z.string().trim().min(1).max(10_000).optional(), sms: z.string().trim().min(1).max(1600).optional() })
  .meta({
    description: `Your own text for this message, in place of the default, per channel; rendered with the sample data and with every value at its longest, an SMS at most ${renderedLimits.smsSegments} segments and an email's text at most ${renderedLimits.emailTextBytes} bytes`,
  });

const Switches = z.strictObject({ email: z.boolean(), sms: z.boolean(), customText: CustomText.optional() });
const EmailAlways = z.strictObject({ sms: z.boolean(), customText: CustomText.optional() });
/** The booking widget's screen after a request, per language; a language left out shows the default. */
const ScreenText = z.partialRecord(Language, z.string().trim().min(1).max(2000)).meta({
  description: 'What the booking widget shows the visitor once the request is made, per language (a template with the booking’s variables); a language left out shows the default text',
});
const AutoReply = z.strictObject({
  enabled: z.boolean(),
  // At most an SMS's length: the same text answers by email or SMS, wherever the person wrote from.
  text: z.string().trim().max(templateLimits.text.sms).optional().meta({ description: `Your own text for this reply, in place of the default, by email and SMS; rendered, an SMS at most ${renderedLimits.smsSegments} segments` }),
});

// Timed messages of the page: email always (to the business, email only), SMS if switched on.
const TimedEntry = {
  sms: z.boolean().default(false),
  customText: CustomText.optional(),
  sendLateWithin: Offset.optional().meta({
    description: 'Armed after its time (say, a booking made an hour before it starts), send it anyway if no later than this; by default it is skipped',
  }),
};
const BusinessHoursOnly = z.boolean().default(false).meta({ description: "Only during the location's business hours: moved to its next opening, never past the appointment" });
const days = (amount: number) => ({ amount, unit: 'days' as const });
const weeks = (amount: number) => ({ amount, unit: 'weeks' as const });

const BookingReminder = z.strictObject({ before: Offset, ...TimedEntry, businessHoursOnly: BusinessHoursOnly });
const FollowUp = z.strictObject({
  /** automatic: to the client; manual: a reminder to the business to follow up; none. */
  mode: z.enum(['automatic', 'manual', 'none']),
  /** After the appointment ends. */
  after: Offset,
  ...TimedEntry,
  businessHoursOnly: BusinessHoursOnly,
});
const OverdueInvoice = z.strictObject({ mode: z.enum(['client', 'business', 'none']), after: Offset.meta({ description: 'After the due date (09:00 in the business time zone)' }), ...TimedEntry });
const ReEngagement = z.strictObject({
  /** client: invite the client to book again; none: off. */
  mode: z.enum(['client', 'none']),
  after: Offset.meta({ description: "After the end of the client's last completed visit, e.g. 6 weeks; not sent if the client has booked again since" }),
  ...TimedEntry,
  businessHoursOnly: BusinessHoursOnly,
});
const EstimateExpiry = z.strictObject({ mode: z.enum(['client', 'business', 'none']), before: Offset.meta({ description: 'Before the expiry date (09:00 in the business time zone)' }), ...TimedEntry });

export const AutomatedMessagesInput = z.strictObject({
  /** Sent when a booking is made and confirmed at once: email always, SMS if switched on. */
  bookingConfirmation: EmailAlways.extend({
    sendForPast: z.boolean().optional().meta({ description: 'Send it also for a booking entered after its start time; by default that one is recorded as not sent (`skipped: in_the_past`)' }),
    screenText: ScreenText.optional(),
  }),
  bookingStatus: z.strictObject({ pending: Switches.extend({ screenText: ScreenText.optional() }), confirmed: Switches, rejected: Switches, cancelled: Switches, rescheduled: Switches }),
  newInvoice: EmailAlways,
  newEstimate: EmailAlways,
  /** Replies to a client's message, document upload or contact form. */
  autoReplies: z.strictObject({ message: AutoReply, document: AutoReply, contactForm: AutoReply }),
  /** Up to two reminders before each confirmed appointment. */
  bookingReminders: z.array(BookingReminder).max(2).default([]),
  followUp: FollowUp.default({ mode: 'none', after: days(1), sms: false, businessHoursOnly: false }),
  overdueInvoice: OverdueInvoice.default({ mode: 'none', after: days(3), sms: false }),
  estimateExpiry: EstimateExpiry.default({ mode: 'none', before: days(2), sms: false }),
  /** An invitation to book again, some weeks after a visit with nothing booked since; marketing, off by default. */
  reEngagement: ReEngagement.default({ mode: 'none', after: weeks(6), sms: false, businessHoursOnly: false }),
});
export type AutomatedMessagesInput = z.infer<typeof AutomatedMessagesInput>;
export const AutomatedMessages = AutomatedMessagesInput.extend({ version: z.number().int().min(0), updatedAt: z.iso.datetime().optional() });
export type AutomatedMessages = z.infer<typeof AutomatedMessages>;

const on = { email: true, sms: false } as const;
export const defaultAutomatedMessages: AutomatedMessages = {
  bookingConfirmation: { sms: false },
  bookingStatus: { pending: on, confirmed: on, rejected: on, cancelled: on, rescheduled: on },
  newInvoice: { sms: false },
  newEstimate: { sms: false },
  autoReplies: { message: { enabled: false }, document: { enabled: false }, contactForm: { enabled: false } },
  bookingReminders: [],
  followUp: { mode: 'none', after: days(1), sms: false, businessHoursOnly: false },
  overdueInvoice: { mode: 'none', after: days(3), sms: false },
  estimateExpiry: { mode: 'none', before: days(2), sms: false },
  reEngagement: { mode: 'none', after: weeks(6), sms: false, businessHoursOnly: false },
  version: 0,
};

/**
 * The settings page as stored; one saved before a field existed, however deep, reads with that
 * field's default, as the store reads it (`withStoredDefaults`). Merged, not parsed: the stream
 * evaluator reads a page per tenant per batch, and the page was parsed when it was saved.
 */
export const automatedMessagesOf = (stored: Readonly<Record<string, unknown>> | undefined): AutomatedMessagesInput =>
  (stored ? deepMerge(defaultAutomatedMessages, stored) : defaultAutomatedMessages) as AutomatedMessagesInput;

/** Stored next to the custom rules (sk `ruleSettings#current`), so one query reads both. */
export const automatedMessagesKind = 'ruleSettings';
export const automatedMessagesId = 'current';

type Trigger = Rule['trigger'];
type PageEntry = { email?: boolean; sms: boolean; customText?: Partial<Record<Channel, string>> | undefined };
/** A timed message's entry: its offset stands under its direction (`before: { amount: 1, unit: 'days' }`). */
type TimedPageSetting = PageEntry & { readonly mode?: string; readonly businessHoursOnly?: boolean; readonly sendLateWithin?: Offset | undefined } & { readonly [Direction in 'before' | 'after']?: Offset };
type AutoReplySetting = AutomatedMessagesInput['autoReplies'][keyof AutomatedMessagesInput['autoReplies']];

/** The entry of the settings page at a dotted path, e.g. `bookingStatus.cancelled`. */
export const entryAt = <Entry>(settings: AutomatedMessagesInput, path: string): Entry => {
  // Split once per path: the evaluator reads every entry for each tenant of each batch, and the paths are the declarations' few.
  let keys = pathKeys.get(path);
  if (!keys) pathKeys.set(path, (keys = path.split('.')));
  let node: unknown = settings;
  for (const key of keys) node = (node as Record<string, unknown>)[key];
  return node as Entry;
};
const pathKeys = new Map<string, readonly string[]>();

// The settings page's entries, from the message types' declarations (types/): which entry sends each and when.
type Declared = MessageTypeDeclaration & { readonly template: MessageType };
const declared = messageTypeNames.map((template): Declared => ({ ...messageTypeDeclarations[template], template }));
const firesOnEvent = (type: Declared): type is Declared & EventSending => typeof type.fires === 'object' && 'on' in type.fires;
const firesOnTime = (type: Declared): type is Declared & TimedSending => typeof type.fires === 'object' && 'anchor' in type.fires;
const answersInbound = (type: Declared): type is Declared & AutoReplySending => typeof type.fires === 'object' && 'inbound' in type.fires;

/** Each event message of the settings page: where it stands in the document and what triggers it. */
const settingsPage: readonly { readonly path: string; readonly template: MessageType; readonly trigger: Trigger }[] = declared
  .filter(firesOnEvent)
  .map(({ page, template, entity, fires }) => ({ path: page, template, trigger: { entity, ...fires } }));

/** The event messages that skip a record whose time had passed (`skipsPast`), by the page entry that can still send them. */
const pastSkipping = new Map(declared.filter(firesOnEvent).flatMap((type) => (type.skipsPast ? [[type.template, type.page] as const] : [])));

/** Whether a message about a record already past when the event happened is skipped: declared so, and its entry not sending it anyway. */
export const skipsPast = (settings: AutomatedMessagesInput, template: MessageType): boolean => {
  const path = pastSkipping.get(template);
  return path !== undefined && entryAt<{ sendForPast?: boolean }>(settings, path).sendForPast !== true;
};

/** System rule ids name the page entry (`key`) and the channel, so a rule finds its custom text. */
const systemRuleId = (key: string, channel: Channel): string => `system.${key}.${channel}`;

const systemRule = (template: MessageType, channel: Channel, trigger: Trigger): Rule => ({
  id: systemRuleId(template, channel),
  trigger,
  audience: 'client',
  channel,
  template,
  locations: 'all',
  businessHoursOnly: false,
  enabled: true,
});

// Built once: the evaluator picks from these for every tenant and batch rather than building rules anew.
const pageRules = settingsPage.map((page) => ({ ...page, rules: { email: systemRule(page.template, 'email', page.trigger), sms: systemRule(page.template, 'sms', page.trigger) } }));

/** The auto-replies of the settings page: the inbound item each answers, where it stands and the message it sends. */
const autoReplyPage = declared.filter(answersInbound).map(({ page, template, fires }) => ({ inbound: fires.inbound, path: page, template }));

/** The reply an inbound item gets on a channel, if the settings page has that auto-reply on: its system rule and message type. */
export function autoReplyFor(settings: AutomatedMessagesInput, inbound: string, channel: Channel): { ruleId: string; template: MessageType } | undefined {
  const page = autoReplyPage.find((entry) => entry.inbound === inbound);
  if (!page || !entryAt<AutoReplySetting>(settings, page.path).enabled) return undefined;
  return { ruleId: systemRuleId(page.template, channel), template: page.template };
}

/** The event rules the settings page stands for. Entries without an email switch always send email. */
export function systemRules(settings: AutomatedMessagesInput): Rule[] {
  const rules: Rule[] = [];
  for (const page of pageRules) {
    const entry = entryAt<PageEntry>(settings, page.path);
    if (entry.email ?? true) rules.push(page.rules.email);
    if (entry.sms) rules.push(page.rules.sms);
  }
  return rules;
}

/** A timed message of the settings page, as the page describes it. */
interface TimedPageEntry {
  readonly key: string;
  readonly path: string;
  readonly entry: TimedPageSetting;
  readonly rule: Omit<TimedRule, 'id' | 'channel' | 'locations' | 'businessHoursOnly' | 'sendLateWithin'>;
}

type TimedDeclared = Declared & TimedSending;
const timedPage = declared.filter(firesOnTime);

function timedEntry(type: TimedDeclared, key: string, path: string, entry: TimedPageSetting): TimedPageEntry {
  const { entity, audience, template, fires } = type;
  const offset = entry[fires.direction];
  if (!offset) throw new Error(`The settings page's ${path} has no ${fires.direction}`);
  return { key, path, entry, rule: { entity, anchor: fires.anchor, direction: fires.direction, offset, holdsWhile: fires.holdsWhile, audience, template } };
}

/**
 * The timed messages the page has: an entry there (with the declared mode, if one is declared), or
 * each element of a list (`booking_reminder.1`, `.2`), timed by its offset before or after the anchor.
 */
function timedPageEntries(settings: AutomatedMessagesInput): TimedPageEntry[] {
  // Plain loops and no closures: the evaluator expands every tenant's page once per batch.
  const entries: TimedPageEntry[] = [];
  for (const type of timedPage) {
    if (type.each) {
      const list = entryAt<readonly TimedPageSetting[]>(settings, type.page);
      for (let i = 0; i < list.length; i++) entries.push(timedEntry(type, `${type.template}.${i + 1}`, `${type.page}.${i}`, list[i]!));
      continue;
    }
    const entry = entryAt<TimedPageSetting>(settings, type.page);
    if (type.mode === undefined || entry.mode === type.mode) entries.push(timedEntry(type, type.template, type.page, entry));
  }
  return entries;
}

/** The timed rules the settings page stands for. The business hears by email only (it has no phone in settings). */
export function timedSystemRules(settings: AutomatedMessagesInput): TimedRule[] {
  const rules: TimedRule[] = [];
  for (const { key, entry, rule } of timedPageEntries(settings)) {
    const timed = { ...rule, locations: 'all' as const, businessHoursOnly: entry.businessHoursOnly ?? false, ...(entry.sendLateWithin ? { sendLateWithin: entry.sendLateWithin } : {}) };
    rules.push({ ...timed, id: systemRuleId(key, 'email'), channel: 'email' });
    if (rule.audience !== 'business' && entry.sms) rules.push({ ...timed, id: systemRuleId(key, 'sms'), channel: 'sms' });
  }
  return rules;
}

/** A custom rule's reminder, if it is an enabled `before_schedule` rule. */
export function customTimedRule(rule: CustomRule): TimedRule | undefined {
  const { trigger } = rule;
  if (!rule.enabled || trigger.on !== 'before_schedule' || !trigger.offset || trigger.entity === 'lead') return undefined;
  return {
    id: rule.id,
    entity: trigger.entity,
    anchor: trigger.entity === 'booking' ? 'start' : 'scheduledAt',
    direction: 'before',
    offset: trigger.offset,
    // Orders move through the tenant's own statuses; only a change of their time makes a reminder stale.
    holdsWhile: trigger.entity === 'booking' ? ['confirmed'] : 'any',
    audience: rule.audience,
    channel: rule.channel,
    template: rule.template,
    locations: rule.locations,
    businessHoursOnly: rule.businessHoursOnly,
    ...(rule.sendLateWithin ? { sendLateWithin: rule.sendLateWithin } : {}),
  };
}

export interface CustomTextEntry {
  /** Where it stands in the document, e.g. `bookingStatus.cancelled.customText.sms`. */
  readonly path: string;
  /** The system rule that sends it. */
  readonly ruleId: string;
  readonly template: MessageType;
  readonly channel: Channel;
  readonly text: string;
}

/** Every custom text the business wrote on the settings page. */
export function customTexts(settings: AutomatedMessagesInput): CustomTextEntry[] {
  const entries = [
    ...settingsPage.map(({ path, template }) => ({ key: template, path, template, customText: entryAt<PageEntry>(settings, path).customText })),
    ...timedPageEntries(settings).map(({ key, path, rule, entry }) => ({ key, path, template: rule.template, customText: entry.customText })),
  ];
  const pageTexts = entries.flatMap(({ key, path, template, customText }) =>
    channels.flatMap((channel) => {
      const text = customText?.[channel];
      return text === undefined ? [] : [{ path: `${path}.customText.${channel}`, ruleId: systemRuleId(key, channel), template, channel, text }];
    }),
  );
  // An auto-reply's one text answers on either channel; left empty, the default answers.
  const replyTexts = autoReplyPage.flatMap(({ path, template }) => {
    const text = entryAt<AutoReplySetting>(settings, path).text;
    return text ? channels.map((channel) => ({ path: `${path}.text`, ruleId: systemRuleId(template, channel), template, channel, text })) : [];
  });
  return [...pageTexts, ...replyTexts];
}

/** The settings page's own text for the message a system rule sends, if the business wrote one. */
export const customTextFor = (settings: AutomatedMessagesInput, ruleId: string): string | undefined =>
  ruleId.startsWith('system.') ? customTexts(settings).find((entry) => entry.ruleId === ruleId)?.text : undefined;

/**
 * The rules an event calls for. A tenant has a few dozen rules and a batch brings each tenant only
 * a few records, so a straight pass over the rules of the event's entity beats a finer index.
 */
export function matchingRules(rules: readonly Rule[], event: DomainEvent): Rule[] {
  const locationId = typeof event.record.locationId === 'string' ? event.record.locationId : undefined;
  const matched: Rule[] = [];
  for (const rule of rules) {
    const { trigger } = rule;
    if (!rule.enabled || trigger.entity !== event.kind || trigger.on !== event.trigger) continue;
    if (trigger.toStatus !== undefined && trigger.toStatus !== event.status) continue;
    if (rule.locations !== 'all' && (locationId === undefined || !rule.locations.includes(locationId))) continue;
    matched.push(rule);
  }
  return matched;
}
