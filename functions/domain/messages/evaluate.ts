import { deriveEvents, type RecordImage } from '#domain/messages/events.ts';
import { deliveryRequest, type DeliveryRequest } from '#domain/messages/message-intent.ts';
import { matchingRules, systemRules, type AutomatedMessagesInput, type CustomRule, type Rule } from '#domain/messages/rules.ts';
import type { TriggeringKind } from '#domain/messages/message-types.ts';

/** What the evaluator knows of one tenant: its custom rules and its settings page. */
export interface TenantRules {
  readonly custom: readonly CustomRule[];
  readonly automated: AutomatedMessagesInput;
}

/** The tenant's rules in two lists, the settings page's and the custom ones (a custom rule is a rule as stored). */
export const rulesOf = (tenant: TenantRules): readonly (readonly Rule[])[] => [systemRules(tenant.automated), tenant.custom];

/** One changed record as the stream reports it. */
export interface RecordChange {
  readonly kind: TriggeringKind;
  readonly tenantId: string;
  readonly previous: RecordImage | undefined;
  readonly record: RecordImage | undefined;
}

/** The messages one record change calls for under the tenant's rules, as one delivery request (or none). */
export function messagesFor(change: RecordChange, rules: readonly (readonly Rule[])[], decidedAt: string): DeliveryRequest | undefined {
  const events = deriveEvents(change.kind, change.tenantId, change.previous, change.record);
  const matched: { rule: Rule; eventType: string }[] = [];
  for (const event of events) for (const list of rules) for (const rule of matchingRules(list, event)) matched.push({ rule, eventType: event.type });
  return matched.length ? deliveryRequest(events[0]!, matched, decidedAt) : undefined;
}
