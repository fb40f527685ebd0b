import { deriveEvents, type RecordImage } from '#domain/messages/events.ts';
import { intentFor, type MessageIntent } from '#domain/messages/message-intent.ts';
import { matchingRules, systemRules, type AutomatedMessagesInput, type CustomRule, type Rule } from '#domain/messages/rules.ts';
import type { TriggeringKind } from '#domain/messages/message-types.ts';

/** What the evaluator knows of one tenant: its custom rules and its settings page. */
export interface TenantRules {
  readonly custom: readonly CustomRule[];
  readonly automated: AutomatedMessagesInput;
}

/** All the tenant's rules: the settings page's and the custom ones (a custom rule is a rule as stored). */
export const rulesOf = (tenant: TenantRules): Rule[] => [...systemRules(tenant.automated), ...tenant.custom];

/** One changed record as the stream reports it. */
export interface RecordChange {
  readonly kind: TriggeringKind;
  readonly tenantId: string;
  readonly previous: RecordImage | undefined;
  readonly record: RecordImage | undefined;
}

/** The messages one record change calls for under the tenant's rules. */
export function messagesFor(change: RecordChange, rules: readonly Rule[], decidedAt: string): MessageIntent[] {
  return deriveEvents(change.kind, change.tenantId, change.previous, change.record).flatMap((event) =>
    matchingRules(rules, event).map((rule) => intentFor(event, rule, decidedAt)),
  );
}
