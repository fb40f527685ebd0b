import { z } from 'zod';
import { RecordMeta } from '#domain/record.ts';
import type { Lifecycle } from '#domain/lifecycle.ts';
import { Instant, Name, Notes, RecordId } from '#domain/values.ts';

export const bookingStatuses = ['pending', 'confirmed', 'rejected', 'cancelled', 'completed', 'no_show'] as const;
export type BookingStatus = (typeof bookingStatuses)[number];

export const bookingLifecycle: Lifecycle<BookingStatus> = {
  pending: ['confirmed', 'rejected'],
  confirmed: ['cancelled', 'completed', 'no_show'],
  rejected: [],
  cancelled: [],
  completed: [],
  no_show: [],
};

/** Statuses in which the appointment still lies ahead and may be edited or rescheduled. */
export const openBookingStatuses: readonly BookingStatus[] = ['pending', 'confirmed'];

const BookingFields = z.strictObject({
  clientId: RecordId,
  locationId: RecordId,
  service: Name,
  start: Instant,
  end: Instant,
  notes: Notes,
});

export const BookingInput = BookingFields.partial({ notes: true }).refine((booking) => Date.parse(booking.end) > Date.parse(booking.start), {
  message: 'end must be after start',
  path: ['end'],
});
export const BookingPatch = BookingFields.omit({ clientId: true }).partial();

export const CancelBooking = z.strictObject({
  by: z.enum(['business', 'client']).meta({ description: 'Who cancelled' }),
  reason: z.string().trim().max(500).optional(),
});

export const Booking = BookingFields.partial({ notes: true }).extend({
  status: z.enum(bookingStatuses),
  cancelledBy: z.enum(['business', 'client']).optional(),
  cancellationReason: z.string().optional(),
  ...RecordMeta.shape,
});
export type Booking = z.infer<typeof Booking>;

export const bookingKind = 'booking';

/** A booking made by the business is confirmed at once unless the tenant approves bookings by hand. */
export const initialBookingStatus = (approval: 'automatic' | 'manual'): BookingStatus => (approval === 'manual' ? 'pending' : 'confirmed');
