import * as z from 'zod';
import { RecordMeta } from '#domain/record.ts';
import { messageTypeNames } from '#domain/messages/message-types.ts';

/** The notification (and its email) the business gets when its SMS use crosses a threshold of its budget. */
export const smsUsageNotice = 'sms_usage';

/**
 * An item of the business's notifications list: what a business-audience message told the
 * business ("follow up with Ana", "invoice 2026-014 is overdue"), with a link to the record. Its id
 * is the id of the message it came from, so a message delivered twice makes one notification.
 */
export const Notification = z
  .object({
    /** The message type it came from, or `sms_usage`: the month's SMS use reached 80 % or 100 % of the plan's budget. */
    messageType: z.enum([...messageTypeNames, smsUsageNotice]),
    title: z.string(),
    text: z.string(),
    entity: z.object({ kind: z.string(), id: z.string() }),
    /** The client it is about; none for a notice about the business itself (`sms_usage`). */
    clientId: z.string().optional(),
    /** The API path of the record it is about, e.g. `/bookings/01J…`. */
    link: z.string(),
    read: z.boolean(),
    readAt: z.iso.datetime().optional(),
    ...RecordMeta.shape,
  })
  .meta({ id: 'Notification' });
export type Notification = z.infer<typeof Notification>;

export const notificationKind = 'notification';

const collections: Readonly<Record<string, string>> = { booking: 'bookings', invoice: 'invoices', estimate: 'estimates', order: 'orders', lead: 'leads' };

/** The API path of a record, for links. */
export const recordLink = (kind: string, id: string): string => `/${collections[kind] ?? kind}/${encodeURIComponent(id)}`;
