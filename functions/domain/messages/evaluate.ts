import { deriveEvents, type RecordImage } from '#domain/messages/events.ts';
import { intentFor, type MessageIntent } from '#domain/messages/message-intent.ts';
import { indexRules, matchingRules, systemRules, type AutomatedMessagesInput, type CustomRule, type Rule, type RuleIndex } from '#domain/messages/rules.ts';
import type { TriggeringKind } from '#domain/messages/message-types.ts';

/** What the evaluator knows of one tenant: its custom rules and its settings page. */
export interface TenantRules {
  readonly custom: readonly CustomRule[];
  readonly automated: AutomatedMessagesInput;
}

export const customRuleAsRule = (rule: CustomRule): Rule => ({
  id: rule.id,
  trigger: rule.trigger,
  audience: rule.audience,
  channel: rule.channel,
  template: rule.template,
  locations: rule.locations,
  businessHoursOnly: rule.businessHoursOnly,
  enabled: rule.enabled,
});

export const ruleIndexOf = (tenant: TenantRules): RuleIndex => indexRules([...systemRules(tenant.automated), ...tenant.custom.map(customRuleAsRule)]);

/** One changed record as the stream reports it. */
export interface RecordChange {
  readonly kind: TriggeringKind;
  readonly tenantId: string;
  readonly previous: RecordImage | undefined;
  readonly record: RecordImage | undefined;
}

/** The messages one record change calls for under the tenant's rules. */
export function messagesFor(change: RecordChange, rules: RuleIndex, decidedAt: Date): MessageIntent[] {
  return deriveEvents(change.kind, change.tenantId, change.previous, change.record).flatMap((event) =>
    matchingRules(rules, event).map((rule) => intentFor(event, rule, decidedAt)),
  );
}
