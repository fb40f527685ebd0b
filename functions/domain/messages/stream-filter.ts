/**
 * Which table stream records reach the evaluator, as Lambda event filtering patterns (the
 * `FilterCriteria` of an event source mapping; EventBridge content-filtering syntax). The deployed
 * mapping (lib/rule-evaluator.ts) and the local stream poller (local/event-filter.ts matches them)
 * both use these, so the domain says once what the evaluator sees.
 */
import { evaluatedKinds } from '#domain/messages/message-types.ts';
import { messageKind } from '#domain/messages/conversation.ts';

export type FilterPattern = { readonly [key: string]: FilterPattern | readonly FilterRule[] };
export type FilterRule =
  | string
  | number
  | boolean
  | null
  | { readonly prefix: string }
  | { readonly suffix: string }
  | { readonly exists: boolean }
  | { readonly 'anything-but': string | number | readonly (string | number)[] }
  | { readonly 'equals-ignore-case': string };

/**
 * What reaches the evaluator: inserts and modifications of items whose new image is of a kind it
 * evaluates (triggering records, rules, rule settings, re-arming jobs), and the insert of an inbound
 * conversation item (it gets an auto-reply). Outbound messages are written several times each by
 * delivery and never reach it.
 */
export const evaluatorFilterPatterns: readonly FilterPattern[] = [
  { eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { kind: { S: [...evaluatedKinds] } } } },
  { eventName: ['INSERT'], dynamodb: { NewImage: { kind: { S: [messageKind] }, direction: { S: ['inbound'] } } } },
];
