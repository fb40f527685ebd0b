import * as z from 'zod';
import { RecordMeta } from '#domain/record.ts';
import { defineLifecycle } from '#domain/lifecycle.ts';
import { AmountMinor, CalendarDate, Currency, Notes, RecordId } from '#domain/values.ts';

export const { lifecycle: invoiceLifecycle, statuses: invoiceStatuses } = defineLifecycle({ draft: ['issued'], issued: ['paid', 'void'], paid: [], void: [] });
export type InvoiceStatus = (typeof invoiceStatuses)[number];

export const DocumentNumber = z.string().trim().min(1).max(40).regex(/^[^#\s][^#]*$/, 'must not contain #');

const InvoiceFields = z.strictObject({
  number: DocumentNumber,
  clientId: RecordId,
  amountMinor: AmountMinor.meta({ description: 'Amount in the currency minor unit, e.g. 12050 for 120.50 EUR' }),
  currency: Currency,
  issueDate: CalendarDate,
  dueDate: CalendarDate,
  notes: Notes,
});

export const InvoiceInput = InvoiceFields.partial({ notes: true }).refine((invoice) => invoice.dueDate >= invoice.issueDate, {
  message: 'dueDate must not be before issueDate',
  path: ['dueDate'],
});
export const InvoicePatch = InvoiceFields.partial();

export const Invoice = InvoiceFields.partial({ notes: true }).extend({
  status: z.enum(invoiceStatuses),
  bookingId: RecordId.optional().meta({ readOnly: true, description: 'The booking this invoice charges for, when it was made from one (POST /bookings/{id}/invoice)' }),
  ...RecordMeta.shape,
});
export type Invoice = z.infer<typeof Invoice>;

export const invoiceKind = 'invoice';
