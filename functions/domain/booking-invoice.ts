import * as z from 'zod';
import { DateTime } from 'luxon';
import { Price, type Booking, type BookingStatus } from '#domain/bookings.ts';
import { conflict, invalidInput } from '#domain/errors.ts';
import { DocumentNumber, type Invoice } from '#domain/invoices.ts';
import { newRecord } from '#domain/record.ts';
import { CalendarDate } from '#domain/values.ts';

/**
 * Charging for an appointment that already took place: from the booking, one call makes the draft
 * invoice with its service, date and price, linked both ways, at most one per booking.
 */

/** A booking is invoiced once it took place, or was missed (a no-show fee). */
export const invoiceableStatuses: readonly BookingStatus[] = ['completed', 'no_show'];

export const InvoiceBookingInput = z.strictObject({
  number: DocumentNumber.meta({ description: 'The invoice number, unique in the business' }),
  issueDate: CalendarDate.optional().meta({ description: 'By default today, in the business’s time zone' }),
  dueDate: CalendarDate.optional().meta({ description: 'By default the issue date (due on receipt)' }),
  price: Price.optional().meta({ description: 'What to charge when the booking has no price, or another amount than its price' }),
});
export type InvoiceBookingInput = z.infer<typeof InvoiceBookingInput>;

/**
 * The draft invoice for a booking, prefilled from it: the client, its price (or the one given), and
 * its service and date (in `zone`, the location's) as the invoice's notes. Refuses a booking that
 * did not take place (409) and one with no price to charge (400).
 */
export function invoiceForBooking(booking: Booking, input: InvoiceBookingInput, context: { readonly id: string; readonly now: Date; readonly zone: string; readonly businessZone: string }): Invoice {
  if (!invoiceableStatuses.includes(booking.status)) {
    throw conflict(`A booking is invoiced once it took place: this one is ${booking.status}`, { status: booking.status, editable: [...invoiceableStatuses] });
  }
  const price = input.price ?? booking.price;
  if (!price) throw invalidInput([{ path: 'price', message: 'the booking has no price: send the price to charge' }], 'The booking has no price');
  const issueDate = input.issueDate ?? DateTime.fromJSDate(context.now, { zone: context.businessZone }).toISODate()!;
  const dueDate = input.dueDate ?? issueDate;
  if (dueDate < issueDate) throw invalidInput([{ path: 'dueDate', message: 'must not be before issueDate' }]);
  const appointmentDate = DateTime.fromISO(booking.start, { setZone: true }).setZone(context.zone).toISODate()!;
  return newRecord(
    {
      number: input.number,
      clientId: booking.clientId,
      amountMinor: price.amountMinor,
      currency: price.currency,
      issueDate,
      dueDate,
      notes: `${booking.service}, ${appointmentDate}`,
      status: 'draft' as const,
      bookingId: booking.id,
    },
    context.id,
    context.now,
  );
}
