import type { AreaResource } from '#api/catalog.ts';
import * as z from 'zod';
import { bookingKind, bookingStatuses, initialBookingStatus } from '#domain/bookings.ts';
import { invalidInput } from '#domain/errors.ts';
import { BookingRequestForm, ContactForm, MessageForm, bookingRequestIssues, requestedBooking } from '#domain/intake.ts';
import type { Submitter } from '#domain/submitter.ts';
import type { PublicForm } from '#domain/client-fields.ts';
import { locationKind, locationRef } from '#domain/locations.ts';
import { automatedMessagesId, automatedMessagesKind, automatedMessagesOf, defaultAutomatedMessages } from '#domain/messages/rules.ts';
import { defaultPlan, planId, planKind, plans } from '#domain/plans.ts';
import { renderScreenText, screenTypeFor } from '#domain/messages/screen-text.ts';
import { Slug } from '#domain/settings.ts';
import { Instant } from '#domain/values.ts';
import { httpHandler } from '#http/http-handler.ts';
import { errors } from '#http/record-routes.ts';
import { defineRoute } from '#http/route.ts';
import { apiDeps } from '#wiring/api.ts';
import { documentStorage } from '#wiring/s3.ts';
import { publicTenant, receiveInbound } from '#services/receive-inbound.ts';
import { documentRoutes } from '#api/public-documents.ts';

/**
 * The widgets a business puts on its website: no login, the business named by its public slug.
 * Answers say only that the submission arrived, never whether the person was already a client.
 */

const base = {
  tag: 'Public widgets',
  auth: 'public' as const,
  params: z.strictObject({ slug: Slug }),
  // Forms are small; a tight cap keeps anonymous callers from making us parse large bodies.
  maxBodyBytes: 16 * 1024,
};

const Received = z.object({
  received: z.literal(true),
  reference: z.string().meta({ description: 'The reference of the submission, for the person to quote' }),
});
const receivedResponses = { 202: { description: 'Received; the business will answer', schema: Received }, ...errors(400, 404, 413, 415, 429) };

/** A form whose submission is a text: it joins the person's conversation, and the form's auto-reply answers. */
function textFormRoute<B extends z.ZodType>(
  form: Extract<PublicForm, 'contact' | 'message'>,
  path: string,
  summary: string,
  body: B,
  split: (submission: z.infer<B>) => { text: string; submitter: Submitter },
) {
  return defineRoute<typeof base.params, z.ZodUnknown, B>({
    ...base,
    method: 'POST',
    path,
    summary,
    body,
    responses: receivedResponses,
    async operation(request, deps) {
      const { tenantId, settings } = await publicTenant(deps, request);
      const { inboundId } = await receiveInbound(deps, tenantId, { form, ...split(request.body), settings });
      return { status: 202, body: { received: true, reference: inboundId } };
    },
  });
}

export const routes = [
  { ...textFormRoute('contact', '/public/{slug}/contact', 'Send the contact form: someone new becomes a client card (a lead); the contact-form auto-reply answers', ContactForm, ({ message, ...submitter }) => ({ text: message, submitter })), operationId: 'sendContactForm' },
  { ...textFormRoute('message', '/public/{slug}/messages', 'Send the business a message; it joins the client’s conversation and the message auto-reply answers', MessageForm, ({ text, ...submitter }) => ({ text, submitter })), operationId: 'sendPublicMessage' },
  defineRoute({
    ...base,
    method: 'POST',
    path: '/public/{slug}/booking-requests',
    summary: 'Request a booking: pending or confirmed as the business approves bookings',
    body: BookingRequestForm,
    responses: {
      201: {
        description: 'The booking',
        schema: z.object({
          bookingId: z.string(),
          status: z.enum(bookingStatuses),
          start: Instant,
          reference: Received.shape.reference,
          screenText: z.string().meta({
            description:
              'The confirmation screen for the visitor, plain text in their language (the form’s language, else the business’s): the settings page’s screenText for a confirmed or a pending booking, else the default',
          }),
        }),
      },
      ...errors(400, 404, 413, 415, 429),
    },
    async operation(request, deps) {
      const issues = bookingRequestIssues(request.body, deps.now());
      if (issues.length) throw invalidInput(issues);
      const { tenantId, settings } = await publicTenant(deps, request);
      const { locationId, service, start, end, notes, ...submitter } = request.body;
      const bookingId = deps.newId();
      const { inboundId } = await receiveInbound(deps, tenantId, {
        form: 'booking',
        submitter,
        text: notes,
        entity: { kind: bookingKind, id: bookingId },
        settings,
        // Checked in the transaction itself: an unknown location fails it with a 400, and no read is spent beforehand.
        references: [locationRef(locationId, bookingKind)],
        alsoPut: (clientId) => [{ kind: bookingKind, record: requestedBooking(request.body, clientId, settings.bookingApproval, bookingId, deps.now()), expected: 'absent' }],
      });
      const status = initialBookingStatus(settings.bookingApproval);
      // Read once the booking stands: the transaction has checked the location, and a refused request spends nothing on this.
      const loaded = await deps.store.getMany(tenantId, [
        { kind: locationKind, id: locationId },
        { kind: automatedMessagesKind, id: automatedMessagesId },
        { kind: planKind, id: planId },
      ]);
      const location = loaded.get(locationKind, locationId);
      // Rendered from what the visitor typed and the booking, never from a client card, so it reads the same whether they were a client.
      // On the free plan a screen text kept from a paid plan gives way to the default, as custom texts do.
      const paid = plans[(loaded.get(planKind, planId) ?? defaultPlan).plan].paid;
      const page = paid ? automatedMessagesOf(loaded.get(automatedMessagesKind, automatedMessagesId)) : defaultAutomatedMessages;
      const screenText = renderScreenText(page, {
          messageType: screenTypeFor(status),
          language: request.body.language ?? settings.defaultLanguage,
          business: { name: settings.businessName, timeZone: settings.timeZone },
          ...(location ? { location: { name: location.name, timeZone: location.timeZone } } : {}),
          client: { firstName: submitter.firstName, ...(submitter.lastName ? { lastName: submitter.lastName } : {}) },
          record: { service, start, end, status },
        });
      return { status: 201, body: { bookingId, status, start, reference: inboundId, screenText } };
    },
  }),
  ...documentRoutes,
];

/** What the area's function uses besides the table: the stack grants exactly these, and the handler wires them. */
export const uses = ['slug-lookup', 'public-rate-limit', 'document-uploads'] as const satisfies readonly AreaResource[];

export const handler = httpHandler(routes, apiDeps({ documents: documentStorage }));
