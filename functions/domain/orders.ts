import { z } from 'zod';
import { RecordMeta } from '#domain/record.ts';
import { Instant, Name, Notes, RecordId } from '#domain/values.ts';

const OrderFields = z.strictObject({
  clientId: RecordId,
  locationId: RecordId,
  title: Name,
  /** One of the tenant's order statuses; the first one when omitted. */
  status: z.string().trim().min(1).max(40),
  /** When the work is scheduled; null clears it. */
  scheduledAt: Instant.nullable(),
  notes: Notes,
});

export const OrderInput = OrderFields.partial({ status: true, scheduledAt: true, notes: true });
export const OrderPatch = OrderFields.omit({ clientId: true }).partial();
export const Order = OrderFields.partial({ scheduledAt: true, notes: true }).extend(RecordMeta.shape);
export type Order = z.infer<typeof Order>;

export const orderKind = 'order';
