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

/** The rules the settings page stands for. */
export function systemRules(settings: AutomatedMessagesInput): Rule[] {
  const emailAndMaybeSms = (template: MessageType, sms: boolean, trigger: Trigger) => [
    systemRule(template, 'email', trigger),
    ...(sms ? [systemRule(template, 'sms', trigger)] : []),
  ];
  const switched = (template: MessageType, switches: { email: boolean; sms: boolean }, trigger: Trigger) =>
    channels.filter((channel) => switches[channel]).map((channel) => systemRule(template, channel, trigger));
  const status = settings.bookingStatus;
  return [
    ...emailAndMaybeSms('booking_confirmation', settings.bookingConfirmation.sms, { entity: 'booking', on: 'created', toStatus: 'confirmed' }),
    ...switched('booking_pending', status.pending, { entity: 'booking', on: 'created', toStatus: 'pending' }),
    ...switched('booking_confirmed', status.confirmed, { entity: 'booking', on: 'status_changed', toStatus: 'confirmed' }),
    ...switched('booking_rejected', status.rejected, { entity: 'booking', on: 'status_changed', toStatus: 'rejected' }),
    ...switched('booking_cancelled', status.cancelled, { entity: 'booking', on: 'status_changed', toStatus: 'cancelled' }),
    ...switched('booking_rescheduled', status.rescheduled, { entity: 'booking', on: 'schedule_changed' }),
    ...emailAndMaybeSms('invoice_issued', settings.newInvoice.sms, { entity: 'invoice', on: 'status_changed', toStatus: 'issued' }),
    ...emailAndMaybeSms('estimate_issued', settings.newEstimate.sms, { entity: 'estimate', on: 'status_changed', toStatus: 'issued' }),
  ];
}

/** Where each message of the settings page lives in the document. */
const settingsPageMessages: readonly { readonly path: readonly string[]; readonly template: MessageType }[] = [
  { path: ['bookingConfirmation'], template: 'booking_confirmation' },
  { path: ['bookingStatus', 'pending'], template: 'booking_pending' },
  { path: ['bookingStatus', 'confirmed'], template: 'booking_confirmed' },
  { path: ['bookingStatus', 'rejected'], template: 'booking_rejected' },
  { path: ['bookingStatus', 'cancelled'], template: 'booking_cancelled' },
  { path: ['bookingStatus', 'rescheduled'], template: 'booking_rescheduled' },
  { path: ['newInvoice'], template: 'invoice_issued' },
  { path: ['newEstimate'], template: 'estimate_issued' },
];

export interface CustomTextEntry {
  /** Where it stands in the document, e.g. `bookingStatus.cancelled.customText.sms`. */
  readonly path: string;
  readonly template: MessageType;
  readonly channel: Channel;
  readonly text: string;
}

/** Every custom text the business wrote on the settings page. */
export function customTexts(settings: AutomatedMessagesInput): CustomTextEntry[] {
  return settingsPageMessages.flatMap(({ path, template }) => {
    const entry = path.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], settings) as { customText?: Partial<Record<Channel, string>> };
    return channels.flatMap((channel) => {
      const text = entry.customText?.[channel];
      return text === undefined ? [] : [{ path: [...path, 'customText', channel].join('.'), template, channel, text }];
    });
  });
}

/** The settings page's own text for a message type and channel, if the business wrote one. */
export const customTextFor = (settings: AutomatedMessagesInput, template: MessageType, channel: Channel): string | undefined =>
  customTexts(settings).find((entry) => entry.template === template && entry.channel === channel)?.text;

/** Rules indexed by what they react to, so each event looks at only the rules that can match it. */
export type RuleIndex = ReadonlyMap<string, readonly Rule[]>;
const indexKey = (entity: string, on: string) => `${entity}:${on}`;

export function indexRules(rules: readonly Rule[]): RuleIndex {
  const index = new Map<string, Rule[]>();
  for (const rule of rules) {
    if (!rule.enabled) continue;
    const key = indexKey(rule.trigger.entity, rule.trigger.on);
    const list = index.get(key);
    if (list) list.push(rule);
    else index.set(key, [rule]);
  }
  return index;
}

export function matchingRules(index: RuleIndex, event: DomainEvent): Rule[] {
  const candidates = index.get(indexKey(event.kind, event.trigger)) ?? [];
  const locationId = typeof event.record.locationId === 'string' ? event.record.locationId : undefined;
  return candidates.filter(
    (rule) =>
      (rule.trigger.toStatus === undefined || rule.trigger.toStatus === event.status) &&
      (rule.locations === 'all' || (locationId !== undefined && rule.locations.includes(locationId))),
  );
}
