import { bookingKind, type Booking } from '#domain/bookings.ts';
import { invoiceForBooking, InvoiceBookingInput } from '#domain/booking-invoice.ts';
import { activeClientRef } from '#domain/clients.ts';
import { DomainError } from '#domain/errors.ts';
import { invoiceKind, type Invoice } from '#domain/invoices.ts';
import { locationKind } from '#domain/locations.ts';
import { revise } from '#domain/record.ts';
import { defaultSettings, settingsId, settingsKind } from '#domain/settings.ts';
import type { AppDeps } from '#http/deps.ts';
import { answerSchemasOf, errors, IdParams, load, shownBy, withEtag } from '#http/record-routes.ts';
import { remembering } from '#http/idempotency.ts';
import { defineRoute } from '#http/route.ts';
import { documentNumberClaim } from '#api/numbered-documents.ts';
import { invoiceArea } from '#api/invoices.ts';

/**
 * `POST /bookings/{id}/invoice`: the draft invoice for an appointment that took place, in one call.
 * The invoice and the booking's link to it are written in one transaction, the booking on its
 * version, so two calls at once make one invoice: the other answers 409 with it.
 */

const alreadyInvoiced = (invoice: Invoice): DomainError =>
  new DomainError('already_invoiced', `The booking already has invoice ${invoice.number}`, { invoice });

/** The invoice a booking names, if it is still there (a deleted draft frees the booking to be invoiced again). */
async function existingInvoice(deps: AppDeps, tenantId: string, booking: Booking): Promise<Invoice | undefined> {
  return booking.invoiceId ? deps.store.get(tenantId, invoiceKind, booking.invoiceId) : undefined;
}

export const bookingInvoiceRoute = defineRoute({
  method: 'POST',
  path: '/bookings/{id}/invoice',
  operationId: 'invoiceBooking',
  tag: 'Bookings',
  auth: 'tenant',
  summary: 'Invoice a completed (or no-show) booking: a draft invoice with its service, date and price, linked both ways; one per booking',
  params: IdParams,
  body: InvoiceBookingInput,
  idempotencyKey: 'optional',
  responses: {
    201: { description: 'The draft invoice (its bookingId names the booking, whose invoiceId now names it); issue it to send it', schema: answerSchemasOf(invoiceArea).record },
    ...errors(400, 404, 409, 413, 415),
  },
  async operation(request, deps) {
    const { tenantId } = request;
    const booking = await load(deps, request, bookingKind);
    const existing = await existingInvoice(deps, tenantId, booking);
    if (existing) throw alreadyInvoiced(existing);
    const loaded = await deps.store.getMany(tenantId, [
      { kind: settingsKind, id: settingsId },
      { kind: locationKind, id: booking.locationId },
    ]);
    const settings = loaded.get(settingsKind, settingsId) ?? defaultSettings;
    const now = deps.now();
    const invoice = invoiceForBooking(booking, request.body, {
      id: deps.newId(),
      now,
      businessZone: settings.timeZone,
      zone: loaded.get(locationKind, booking.locationId)?.timeZone ?? settings.timeZone,
    });
    const answer = withEtag(shownBy(invoiceArea)(invoice), 201, { location: `/invoices/${invoice.id}` });
    try {
      await deps.store.put(tenantId, invoiceKind, invoice, {
        expected: 'absent',
        references: [activeClientRef(invoice.clientId)],
        claims: [documentNumberClaim(invoiceKind, invoice.number)],
        alsoPut: [{ kind: bookingKind, record: revise(booking, { invoiceId: invoice.id }, now), expected: booking.version }],
        ...remembering(request, answer),
      });
    } catch (error) {
      // Lost to a call that invoiced the booking first (its number may be this one's, too): answer with that invoice.
      if (!(error instanceof DomainError)) throw error;
      const raced = await deps.store.get(tenantId, bookingKind, booking.id);
      const winner = raced && (await existingInvoice(deps, tenantId, raced));
      if (winner) throw alreadyInvoiced(winner);
      throw error;
    }
    return answer;
  },
});
