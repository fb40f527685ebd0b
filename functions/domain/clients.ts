import { z } from 'zod';
import { RecordMeta } from '#domain/record.ts';
import { Language, Name, Notes, RecordId } from '#domain/values.ts';
import { CustomFieldValue } from '#domain/client-fields.ts';
import type { RecordRef, UniqueClaim } from '#domain/record-store.ts';
import { Unsubscribed } from '#domain/unsubscribe.ts';

export const Consent = z.strictObject({
  email: z.boolean().meta({ description: 'The client accepts messages by email' }),
  sms: z.boolean().meta({ description: 'The client opted in to SMS' }),
});

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
  .extend({ firstName: Name, consent: Consent, status: ClientFields.shape.status, customFields: z.record(z.string(), CustomFieldValue), unsubscribed: Unsubscribed.optional() })
  .extend(RecordMeta.shape);
export type Client = z.infer<typeof Client>;

export const clientKind = 'client';

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
