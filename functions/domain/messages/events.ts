import type { MessageEntityKind, TriggeringKind } from '#domain/messages/message-types.ts';

/**
 * Domain events derived from a record's old and new image (a DynamoDB stream record). Pure: the same
 * images always give the same events, and a write that changes nothing relevant gives none.
 */

export type RecordImage = Readonly<Record<string, unknown>> & { readonly id: string; readonly version: number };

export type EventTrigger = 'created' | 'status_changed' | 'schedule_changed';

export interface DomainEvent {
  /** e.g. `booking.rescheduled`, `order.status_changed`. */
  readonly type: string;
  readonly kind: TriggeringKind;
  readonly tenantId: string;
  /** How rules match it: the entity's creation, a status change, or a schedule change. */
  readonly trigger: EventTrigger;
  /** The status the record has after the change. */
  readonly status: string;
  readonly previousStatus?: string;
  readonly record: RecordImage;
  readonly previous?: RecordImage;
}

/** The attribute that holds each kind's scheduled time, where it has one that rules react to. */
export const scheduleAttribute: Partial<Record<MessageEntityKind, string>> = { booking: 'start', order: 'scheduledAt' };

/** Status changes of the fixed lifecycles, by the name the business knows them by. */
const statusEventNames: Partial<Record<TriggeringKind, Readonly<Record<string, string>>>> = {
  booking: { confirmed: 'confirmed', rejected: 'rejected', cancelled: 'cancelled', completed: 'completed', no_show: 'no_show' },
  invoice: { issued: 'issued', paid: 'paid', void: 'voided' },
  estimate: { issued: 'issued', accepted: 'accepted', declined: 'declined' },
};

/** The same instant, whatever offset each is written in. */
export const sameInstant = (a: unknown, b: unknown): boolean =>
  a === b || (typeof a === 'string' && typeof b === 'string' && Date.parse(a) === Date.parse(b));

export function deriveEvents(kind: TriggeringKind, tenantId: string, previous: RecordImage | undefined, record: RecordImage | undefined): DomainEvent[] {
  if (!record) return [];
  const status = String(record.status);
  const base = { kind, tenantId, status, record } as const;

  if (!previous) {
    // Invoices and estimates are written as drafts; only issuing them concerns the client.
    if (kind === 'invoice' || kind === 'estimate') return [];
    return [{ ...base, type: `${kind}.created`, trigger: 'created' }];
  }
  if (record.version <= previous.version) return [];

  const events: DomainEvent[] = [];
  const previousStatus = String(previous.status);
  if (previousStatus !== status) {
    const named = statusEventNames[kind];
    const name = named ? named[status] : 'status_changed';
    if (name) events.push({ ...base, previous, previousStatus, type: `${kind}.${name}`, trigger: 'status_changed' });
  }
  const schedule = scheduleAttribute[kind];
  if (schedule && !sameInstant(previous[schedule], record[schedule])) {
    const type = kind === 'booking' ? 'booking.rescheduled' : `${kind}.schedule_changed`;
    // A booking that is no longer open is not rescheduled, whatever its times say.
    if (kind !== 'booking' || status === 'pending' || status === 'confirmed') {
      events.push({ ...base, previous, previousStatus, type, trigger: 'schedule_changed' });
    }
  }
  return events;
}
