import * as z from 'zod';
import { RecordMeta } from '#domain/record.ts';
import { defineLifecycle } from '#domain/lifecycle.ts';
import { AmountMinor, Currency, Instant, Name, Notes, RecordId } from '#domain/values.ts';

export const { lifecycle: bookingLifecycle, statuses: bookingStatuses } = defineLifecycle({
  pending: ['confirmed', 'rejected'],
  confirmed: ['cancelled', 'completed', 'no_show'],
  rejected: [],
  cancelled: [],
  completed: [],
  no_show: [],
});
export type BookingStatus = (typeof bookingStatuses)[number];

/** Statuses in which the appointment still lies ahead and may be edited or rescheduled. */
export const openBookingStatuses: readonly BookingStatus[] = ['pending', 'confirmed'];

/** What the appointment costs, in the business's currency: what invoicing it after the fact charges. */
export const Price = z
  .strictObject({ amountMinor: AmountMinor.meta({ description: 'In the currency minor unit, e.g. 4500 for 45.00 EUR' }), currency: Currency })
  .meta({ description: 'What the appointment costs; invoicing the booking once it took place charges this' });

const BookingFields = z.strictObject({
  clientId: RecordId,
  locationId: RecordId,
  service: Name,
  start: Instant,
  end: Instant,
  notes: Notes,
  price: Price,
});

// Only compared once both are valid instants, so a bad start is not also reported as a bad end.
export const endsAfterStart = (booking: { start: string; end: string }): boolean => {
  const [start, end] = [Date.parse(booking.start), Date.parse(booking.end)];
  return Number.isNaN(start) || Number.isNaN(end) || end > start;
};

export const BookingInput = BookingFields.partial({ notes: true, price: true }).refine(endsAfterStart, {
  message: 'end must be after start',
  path: ['end'],
});
export const BookingPatch = BookingFields.omit({ clientId: true }).partial();

export const CancelBooking = z.strictObject({
  by: z.enum(['business', 'client']).meta({ description: 'Who cancelled' }),
  reason: z.string().trim().max(500).optional(),
});

export const Booking = BookingFields.partial({ notes: true, price: true }).extend({
  status: z.enum(bookingStatuses),
  invoiceId: RecordId.optional().meta({ readOnly: true, description: 'The invoice made for this booking once it took place (POST /bookings/{id}/invoice)' }),
  cancelledBy: z.enum(['business', 'client']).optional(),
  cancellationReason: z.string().optional(),
  ...RecordMeta.shape,
});
export type Booking = z.infer<typeof Booking>;

export const bookingKind = 'booking';

/** A booking made by the business is confirmed at once unless the tenant approves bookings by hand. */
export const initialBookingStatus = (approval: 'automatic' | 'manual'): BookingStatus => (approval === 'manual' ? 'pending' : 'confirmed');
