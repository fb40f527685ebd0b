import { z } from 'zod';
import { RecordMeta } from '#domain/record.ts';
import { Name, RecordId } from '#domain/values.ts';
import { bookingStatuses } from '#domain/bookings.ts';
import { channels, messageTypeNames, messageTypes, type Channel, type MessageType, type TriggeringKind } from '#domain/messages/message-types.ts';
import type { DomainEvent, EventTrigger } from '#domain/messages/events.ts';

/** One model for every automated message: the settings page expands to rules of this shape. */
export interface Rule {
  readonly id: string;
  readonly trigger: { readonly entity: TriggeringKind; readonly on: EventTrigger; readonly toStatus?: string };
  readonly audience: 'client' | 'business';
  readonly channel: Channel;
  readonly template: MessageType;
  readonly locations: 'all' | readonly string[];
  readonly businessHoursOnly: boolean;
  readonly enabled: boolean;
}

/** Custom rules are on the records a business schedules and tracks. */
export const customRuleEntities = ['booking', 'order', 'lead'] as const;

const RuleTrigger = z.strictObject({
  entity: z.enum(customRuleEntities),
  on: z.enum(['created', 'status_changed', 'schedule_changed']),
  /** With `status_changed`: only changes to this status; with `created`: only records created in it. */
  toStatus: z.string().trim().min(1).max(40).optional(),
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
});

const ruleIssues = (rule: z.infer<typeof CustomRuleFields>, context: z.core.$RefinementCtx) => {
  if (messageTypes[rule.template].entity !== rule.trigger.entity) {
    context.addIssue({ code: 'custom', path: ['template'], message: `must be a ${rule.trigger.entity} message type` });
  }
  if (rule.trigger.on === 'schedule_changed' && rule.trigger.entity === 'lead') {
    context.addIssue({ code: 'custom', path: ['trigger', 'on'], message: 'leads have no schedule' });
  }
  if (rule.trigger.on === 'schedule_changed' && rule.trigger.toStatus !== undefined) {
    context.addIssue({ code: 'custom', path: ['trigger', 'toStatus'], message: 'only goes with created or status_changed' });
  }
  if (rule.trigger.entity === 'booking' && rule.trigger.toStatus !== undefined && !(bookingStatuses as readonly string[]).includes(rule.trigger.toStatus)) {
    context.addIssue({ code: 'custom', path: ['trigger', 'toStatus'], message: `must be one of ${bookingStatuses.join(', ')}` });
  }
};

export const CustomRuleInput = CustomRuleFields.extend({
  locations: CustomRuleFields.shape.locations.default('all'),
  businessHoursOnly: CustomRuleFields.shape.businessHoursOnly.default(false),
  enabled: CustomRuleFields.shape.enabled.default(true),
}).superRefine(ruleIssues);
export const CustomRulePatch = CustomRuleFields.partial();
export const CustomRule = CustomRuleFields.extend(RecordMeta.shape);
export type CustomRule = z.infer<typeof CustomRule>;

export const ruleKind = 'rule';

// The settings page ("automated messages"): one document, expanded to system rules.

const CustomText = z
  .strictObject({ email: z.string().trim().min(1).max(10_000).optional(), sms: z.string().trim().min(1).max(1600).optional() })
  .meta({ description: 'Your own text for this message, in place of the default, per channel' });

const Switches = z.strictObject({ email: z.boolean(), sms: z.boolean(), customText: CustomText.optional() });
const EmailAlways = z.strictObject({ sms: z.boolean(), customText: CustomText.optional() });
const AutoReply = z.strictObject({ enabled: z.boolean(), text: z.string().trim().max(2000).optional() });

export const AutomatedMessagesInput = z.strictObject({
  /** Sent when a booking is made and confirmed at once: email always, SMS if switched on. */
  bookingConfirmation: EmailAlways,
  bookingStatus: z.strictObject({ pending: Switches, confirmed: Switches, rejected: Switches, cancelled: Switches, rescheduled: Switches }),
  newInvoice: EmailAlways,
  newEstimate: EmailAlways,
  /** Replies to a client's message, document upload or contact form. */
  autoReplies: z.strictObject({ message: AutoReply, document: AutoReply, contactForm: AutoReply }),
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
  version: 0,
};

/** Stored next to the custom rules (sk `ruleSettings#current`), so one query reads both. */
export const automatedMessagesKind = 'ruleSettings';
export const automatedMessagesId = 'current';

type Trigger = Rule['trigger'];
type PageEntry = { email?: boolean; sms: boolean; customText?: Partial<Record<Channel, string>> | undefined };

/** Each message of the settings page: where it stands in the document and what triggers it. */
const settingsPage: readonly { readonly path: readonly string[]; readonly template: MessageType; readonly trigger: Trigger }[] = [
  { path: ['bookingConfirmation'], template: 'booking_confirmation', trigger: { entity: 'booking', on: 'created', toStatus: 'confirmed' } },
  { path: ['bookingStatus', 'pending'], template: 'booking_pending', trigger: { entity: 'booking', on: 'created', toStatus: 'pending' } },
  { path: ['bookingStatus', 'confirmed'], template: 'booking_confirmed', trigger: { entity: 'booking', on: 'status_changed', toStatus: 'confirmed' } },
  { path: ['bookingStatus', 'rejected'], template: 'booking_rejected', trigger: { entity: 'booking', on: 'status_changed', toStatus: 'rejected' } },
  { path: ['bookingStatus', 'cancelled'], template: 'booking_cancelled', trigger: { entity: 'booking', on: 'status_changed', toStatus: 'cancelled' } },
  { path: ['bookingStatus', 'rescheduled'], template: 'booking_rescheduled', trigger: { entity: 'booking', on: 'schedule_changed' } },
  { path: ['newInvoice'], template: 'invoice_issued', trigger: { entity: 'invoice', on: 'status_changed', toStatus: 'issued' } },
  { path: ['newEstimate'], template: 'estimate_issued', trigger: { entity: 'estimate', on: 'status_changed', toStatus: 'issued' } },
];

const entryAt = (settings: AutomatedMessagesInput, path: readonly string[]): PageEntry =>
  path.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], settings) as PageEntry;

const systemRule = (template: MessageType, channel: Channel, trigger: Trigger): Rule => ({
  id: `system.${template}.${channel}`,
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

/** The rules the settings page stands for. Entries without an email switch always send email. */
export function systemRules(settings: AutomatedMessagesInput): Rule[] {
  const rules: Rule[] = [];
  for (const page of pageRules) {
    const entry = entryAt(settings, page.path);
    if (entry.email ?? true) rules.push(page.rules.email);
    if (entry.sms) rules.push(page.rules.sms);
  }
  return rules;
}

export interface CustomTextEntry {
  /** Where it stands in the document, e.g. `bookingStatus.cancelled.customText.sms`. */
  readonly path: string;
  readonly template: MessageType;
  readonly channel: Channel;
  readonly text: string;
}

/** Every custom text the business wrote on the settings page. */
export function customTexts(settings: AutomatedMessagesInput): CustomTextEntry[] {
  return settingsPage.flatMap(({ path, template }) => {
    const customText = entryAt(settings, path).customText;
    return channels.flatMap((channel) => {
      const text = customText?.[channel];
      return text === undefined ? [] : [{ path: [...path, 'customText', channel].join('.'), template, channel, text }];
    });
  });
}

/** The settings page's own text for a message type and channel, if the business wrote one. */
export const customTextFor = (settings: AutomatedMessagesInput, template: MessageType, channel: Channel): string | undefined =>
  customTexts(settings).find((entry) => entry.template === template && entry.channel === channel)?.text;

/**
 * The rules an event calls for. A tenant has a few dozen rules and a batch brings each tenant only
 * a few records, so a straight pass beats building an index per batch.
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
