import * as z from 'zod';
import { RecordMeta } from '#domain/record.ts';
import { Language, Name, Notes, RecordId } from '#domain/values.ts';
import { CustomFieldValue } from '#domain/client-fields.ts';
import type { RecordRef, UniqueClaim } from '#domain/record-store.ts';
import { Unsubscribed } from '#domain/unsubscribe.ts';

export const Consent = z.strictObject({
  email: z.boolean().meta({ description: 'The client accepts messages by email' }),
  sms: z.boolean().meta({ description: 'The client opted in to SMS' }),
});

/**
 * An email address the business no longer sends to: SES said it hard-bounced or its owner marked
 * a message as spam. It holds for that address only: a new address lifts it, and so can the business.
 */
export const EmailSuppression = z
  .strictObject({
    address: z.string(),
    cause: z.strictObject({
      event: z.enum(['Bounce', 'Complaint']),
      messageId: z.string().meta({ description: 'The message whose email bounced or was complained about' }),
      at: z.iso.datetime().meta({ description: 'When the provider reported it' }),
      diagnostic: z.string().optional().meta({ description: 'What the provider said, e.g. `Permanent/General: 550 5.1.1 user unknown`' }),
    }),
  })
  .meta({ id: 'EmailSuppression' });
export type EmailSuppression = z.infer<typeof EmailSuppression>;
export const suppressionChannels = ['email'] as const;

/** Why the client's SMS consent was turned off by the provider, not by the business: the number opted out (STOP). */
export const SmsOptOut = z
  .strictObject({
    reason: z.literal('opted_out'),
    phone: z.string(),
    messageId: z.string().meta({ description: 'The message that found the number opted out' }),
    at: z.iso.datetime(),
  })
  .meta({ id: 'SmsOptOut' });
export type SmsOptOut = z.infer<typeof SmsOptOut>;

export const clientStatuses = ['lead', 'active', 'archived'] as const;

const ClientFields = z.strictObject({
  firstName: Name,
  lastName: z.string().trim().max(200),
  email: z.email().max(254).toLowerCase(),
  /** Any common notation; stored in E.164. */
  phone: z.string().trim().min(3).max(40),
  language: Language,
  consent: Consent,
  status: z.enum(clientStatuses),
  notes: Notes,
  /** Values by client field id; null removes a value. */
  customFields: z.record(RecordId, CustomFieldValue),
});

export const ClientInput = ClientFields.partial().extend({
  firstName: Name,
  consent: Consent.default({ email: true, sms: false }),
  status: ClientFields.shape.status.default('active'),
  customFields: ClientFields.shape.customFields.default({}),
});
/** A patch; null clears an optional field. */
export const ClientPatch = ClientFields.partial().extend({
  lastName: ClientFields.shape.lastName.nullable().optional(),
  email: ClientFields.shape.email.nullable().optional(),
  phone: ClientFields.shape.phone.nullable().optional(),
  language: ClientFields.shape.language.nullable().optional(),
  notes: ClientFields.shape.notes.nullable().optional(),
});
export const Client = ClientFields.partial()
  .extend({
    firstName: Name,
    consent: Consent,
    status: ClientFields.shape.status,
    customFields: z.record(z.string(), CustomFieldValue),
    /** Set by the provider's events; lifted by `DELETE /clients/{id}/suppressions/email` or a new email address. */
    suppressions: z.strictObject({ email: EmailSuppression.optional() }).optional().meta({ readOnly: true, description: 'Addresses messages are not sent to (their messages are `not_sent: suppressed: …`), each with the event that caused it; lifted by `DELETE /clients/{id}/suppressions/{channel}` or by a new address' }),
    /** Set when a send found the number opted out; a PATCH that turns SMS consent on again clears it. */
    smsOptOut: SmsOptOut.optional().meta({ readOnly: true }),
    unsubscribed: Unsubscribed.optional(),
  })
  .extend(RecordMeta.shape);
export type Client = z.infer<typeof Client>;

export const clientKind = 'client';

/** The suppression of the address a message would go to, if that address is suppressed. */
export function suppressionFor(client: Pick<Client, 'suppressions'>, channel: string, to: string): EmailSuppression | undefined {
  const suppression = channel === 'email' ? client.suppressions?.email : undefined;
  return suppression && suppression.address === to.toLowerCase() ? suppression : undefined;
}

/**
 * What a patch does to what the provider set: a new email address lifts the old one's suppression,
 * and turning SMS consent on again clears the opt-out note (the business says the client opted in).
 */
export function afterPatch(current: Pick<Client, 'email' | 'suppressions' | 'smsOptOut'>, next: { email?: unknown; consent?: { sms?: unknown } }): { suppressions?: Client['suppressions'] | undefined; smsOptOut?: undefined } {
  const changes: { suppressions?: Client['suppressions'] | undefined; smsOptOut?: undefined } = {};
  if (current.suppressions?.email && next.email !== current.email) changes.suppressions = undefined;
  if (current.smsOptOut && next.consent?.sms === true) changes.smsOptOut = undefined;
  return changes;
}

/** The client a new booking, invoice, estimate or order is for: it must exist and not be archived (409 `archived`). */
export const activeClientRef = (id: unknown): RecordRef => ({ kind: clientKind, id: String(id), field: 'clientId', notArchived: true });

const clientClaimNames = { email: 'clientEmail', phone: 'clientPhone' } as const;

/**
 * A client's email and phone (E.164) are unique in the business, so that whoever writes through a
 * public widget is matched to their one card. Email first: matching tries them in this order.
 */
export function clientClaims(client: Readonly<Record<string, unknown>>): UniqueClaim[] {
  return (['email', 'phone'] as const).flatMap((field): UniqueClaim[] => {
    const value = client[field];
    if (typeof value !== 'string') return [];
    return [{ scope: 'tenant', name: clientClaimNames[field], field, value, taken: `${field} ${value} is already used by another client` }];
  });
}
