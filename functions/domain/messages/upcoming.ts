import type { RecordImage } from '#domain/messages/events.ts';
import { intentsOf, type Dispatch } from '#domain/messages/message-intent.ts';
import type { CancelReason, ConversationMessage } from '#domain/messages/conversation.ts';
import type { TimedMessage } from '#domain/messages/timed-messages.ts';

/**
 * Upcoming messages: what is armed is in the conversation too, as `scheduled` messages under the
 * ids delivery will claim them by, so the store shows what is going to be sent without asking the
 * scheduler, and sending costs nothing more (delivery's claim takes a `scheduled` item over).
 */

/** The `scheduled` messages of what is dispatched for later (timed messages, and event messages after a delay or in business hours). */
export function scheduledMessagesOf(dispatch: readonly Dispatch[], now: Date): ConversationMessage[] {
  const at = now.toISOString();
  return dispatch.flatMap((item) =>
    item.at === undefined
      ? []
      : intentsOf(item.request).map((intent) => ({
          id: intent.id,
          clientId: intent.clientId,
          direction: 'outbound' as const,
          channel: intent.channel,
          messageType: intent.messageType,
          audience: intent.audience,
          ruleId: intent.ruleId,
          entity: { kind: intent.entity.kind, id: intent.entity.id },
          status: 'scheduled' as const,
          dueAt: item.at!,
          attempts: 0,
          createdAt: at,
          updatedAt: at,
        })),
  );
}

/**
 * Why a record change disarmed a timed message: the record went, left the statuses the message
 * holds in, moved in time, or moved to another location (its zone or hours moved the message).
 */
export function cancelReasonOf(message: TimedMessage, previous: RecordImage | undefined, record: RecordImage | undefined): CancelReason {
  if (!record) return 'record_deleted';
  const { rule } = message;
  const status = String(record.status);
  if (rule.holdsWhile !== 'any' && !rule.holdsWhile.includes(status)) return `record_${status}`;
  if (record[rule.anchor] !== message.anchorValue) return 'rescheduled';
  if (previous?.locationId !== record.locationId) return 'location_changed';
  return 'rule_changed';
}

/** How many of a client's latest messages the card looks through for its upcoming ones. */
export const upcomingScanLimit = 300;

/** Scheduled messages, due soonest first (ties by id), at most `limit`. */
export const soonestFirst = (messages: readonly ConversationMessage[], limit: number): ConversationMessage[] =>
  messages
    .filter((message) => message.status === 'scheduled' && message.dueAt !== undefined)
    .sort((a, b) => a.dueAt!.localeCompare(b.dueAt!) || a.id.localeCompare(b.id))
    .slice(0, limit);
