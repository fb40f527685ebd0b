import * as z from 'zod';
import {
  Booking,
  BookingInput,
  BookingPatch,
  CancelBooking,
  bookingKind,
  bookingLifecycle,
  bookingStatuses,
  initialBookingStatus,
  openBookingStatuses,
} from '#domain/bookings.ts';
import { activeClientRef } from '#domain/clients.ts';
import { locationChange, locationRef } from '#domain/locations.ts';
import { Instant } from '#domain/values.ts';
import { httpHandler } from '#http/http-handler.ts';
import { mergedInput, recordRoutes, type RecordArea } from '#http/record-routes.ts';
import { apiDeps } from '#wiring/api.ts';
import { recordMessagesRoute } from '#api/record-messages.ts';
import { tenantSettings } from '#services/tenant-settings.ts';
import { bookingInvoiceRoute } from '#api/booking-invoice.ts';

export const bookingArea: RecordArea = {
  kind: bookingKind,
  path: '/bookings',
  tag: 'Bookings',
  record: Booking,
  schemaId: 'Booking',
  create: {
    body: BookingInput,
    async prepare(input, request, deps) {
      const { bookingApproval } = await tenantSettings(deps, request.tenantId);
      return {
        fields: { ...input, status: initialBookingStatus(bookingApproval) },
        references: [activeClientRef(input.clientId), locationRef(input.locationId, bookingKind)],
      };
    },
  },
  patch: {
    body: BookingPatch,
    editableIn: openBookingStatuses,
    async prepare(current, patch) {
      return { fields: mergedInput(BookingInput, current, patch), ...locationChange(current.locationId, patch.locationId, bookingKind) };
    },
  },
  list: { defaultOrder: 'time', time: { schema: Instant, describes: 'start' }, byClient: true, byLocation: true, status: z.enum(bookingStatuses), embeds: ['client', 'location'] },
  lifecycle: {
    statuses: bookingLifecycle,
    actions: [
      { name: 'confirm', summary: 'Confirm a pending booking', to: 'confirmed' },
      { name: 'reject', summary: 'Reject a pending booking', to: 'rejected' },
      {
        name: 'cancel',
        summary: 'Cancel a confirmed booking, by the business or the client',
        to: 'cancelled',
        body: CancelBooking,
        changes: (body) => ({ cancelledBy: body.by, cancellationReason: body.reason }),
      },
      { name: 'complete', summary: 'Mark a confirmed booking as completed', to: 'completed' },
      { name: 'no-show', summary: 'Mark that the client did not come', to: 'no_show' },
    ],
  },
};

export const routes = [...recordRoutes(bookingArea), bookingInvoiceRoute, recordMessagesRoute(bookingKind, bookingArea)];
export const handler = httpHandler(routes, apiDeps());
