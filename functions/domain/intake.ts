import * as z from 'zod';
import { answerable, plainText, PublicText, SubmitterFields, type Submitter } from '#domain/submitter.ts';
import { BookingInput, endsAfterStart, initialBookingStatus, type Booking } from '#domain/bookings.ts';
import { checkCustomFieldValues, type ClientField, type CustomFieldValue, type PublicForm } from '#domain/client-fields.ts';
import { clientClaims, clientKind, type Client } from '#domain/clients.ts';
import { invalidInput, type FieldIssue } from '#domain/errors.ts';
import { leadKind, type Lead } from '#domain/leads.ts';
import { messageKind, type ConversationMessage, type InboundMessageType } from '#domain/messages/conversation.ts';
import { phoneInE164 } from '#domain/phone.ts';
import { newRecord, revise } from '#domain/record.ts';
import type { CompanionWrite, RecordRef, WriteOptions } from '#domain/record-store.ts';
import type { RecordOf } from '#domain/record-kinds.ts';
import { statusFromList } from '#domain/settings.ts';
import { Language, Notes, RecordId } from '#domain/values.ts';

/**
 * What people send a business through its public widgets (contact form, message, document,
 * booking request), and what each submission writes: the client card it belongs to (matched, or a
 * new lead), and the inbound item in that client's conversation.
 */

// ---------------------------------------------------------------------------------------------
// The forms.

export const ContactForm = answerable(SubmitterFields.extend({ message: PublicText(5000) }));
export const MessageForm = answerable(SubmitterFields.extend({ text: PublicText(5000) }));
export const BookingRequestForm = answerable(
  SubmitterFields.extend({
    locationId: BookingInput.shape.locationId,
    service: plainText(BookingInput.shape.service),
    start: BookingInput.shape.start,
    end: BookingInput.shape.end,
    notes: plainText(Notes, 'multi').optional(),
  }),
).refine(endsAfterStart, { message: 'end must be after start', path: ['end'] });
export type BookingRequestForm = z.infer<typeof BookingRequestForm>;

/** A booking request asks for a time still ahead; a time in the past is a 400, not a booking. */
export function bookingRequestIssues(form: Pick<BookingRequestForm, 'start'>, now: Date): FieldIssue[] {
  return Date.parse(form.start) > now.getTime() ? [] : [{ path: 'start', message: 'must be in the future' }];
}

/** The booking a request makes for the client: pending or confirmed as the business approves bookings. */
export function requestedBooking(form: BookingRequestForm, clientId: string, approval: 'automatic' | 'manual', id: string, now: Date): Booking {
  const { locationId, service, start, end, notes } = form;
  return newRecord({ clientId, locationId, service, start, end, ...(notes === undefined ? {} : { notes }), status: initialBookingStatus(approval) }, id, now);
}

// ---------------------------------------------------------------------------------------------
// What a submission writes.

/** The inbound conversation item each form makes. */
export const inboundTypeOf: Readonly<Record<PublicForm, InboundMessageType>> = {
  contact: 'contact_form',
  message: 'client_message',
  document: 'document_upload',
  booking: 'booking_request',
};

/** The lead source of a card made by a form, e.g. `widget:contact_form`. */
export const leadSource = (form: PublicForm): string => `widget:${inboundTypeOf[form]}`;

/** How the business can reach the person: email in lower case, phone in E.164. */
export type Contact = {
  readonly email?: string;
  readonly phone?: string;
};

/**
 * The address a form is matched to a card by: the one its reply goes to, the email if the form
 * gives one, else the phone. Never the other one: anyone may type a client's phone next to their
 * own email, and must not get that client's card greeted, nor their words filed under it.
 */
export const replyField = (contact: Contact): keyof Contact => (contact.email !== undefined ? 'email' : 'phone');

export function contactOf(submitter: Pick<Submitter, 'email' | 'phone'>, defaultCountry: string | undefined): Contact {
  return {
    ...(submitter.email === undefined ? {} : { email: submitter.email.trim().toLowerCase() }),
    ...(submitter.phone === undefined ? {} : { phone: phoneInE164(submitter.phone, defaultCountry) }),
  };
}

export type FieldValues = Record<string, string | number | boolean>;

/** The custom field values a form carried, checked against the fields that form collects; a 400 otherwise. */
export function formFieldValues(form: PublicForm, values: Readonly<Record<string, CustomFieldValue>>, fields: readonly ClientField[]): FieldValues {
  const issues = checkCustomFieldValues(values, fields, form);
  if (issues.length) throw invalidInput(issues, `Some custom field values are not accepted by the ${form} form`);
  return Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string | number | boolean] => entry[1] !== null));
}

export interface Intake {
  readonly form: PublicForm;
  readonly submitter: Pick<Submitter, 'firstName' | 'lastName' | 'language' | 'smsConsent'>;
  readonly contact: Contact;
  readonly fieldValues: FieldValues;
  readonly text?: string | undefined;
  readonly entity?: { readonly kind: string; readonly id: string } | undefined;
  /** The card the contact's reply address matched (`replyField`), if any. */
  readonly matched: Client | undefined;
  /** The contact's addresses some card already holds: a new card does not take them, the inbound item keeps them. */
  readonly taken: readonly (keyof Contact)[];
  /** The business's lead statuses: a new card's lead starts at the first. */
  readonly leadStatuses: readonly string[];
  /** Ids for what may be created: the client and its lead (used only for a new card), the inbound item. */
  readonly ids: { readonly client: string; readonly lead: string; readonly inbound: string };
  readonly now: Date;
  /** More records for the same transaction, given the client id. */
  readonly alsoPut?: ((clientId: string) => readonly CompanionWrite[]) | undefined;
  /** Records that must exist for the transaction to go through (a booking request's location). */
  readonly references?: readonly RecordRef[] | undefined;
}

/** One transaction (`RecordStore.put`): its main record and everything else it writes or checks. */
export interface IntakeWrite {
  readonly kind: typeof clientKind | typeof messageKind;
  readonly record: RecordOf<typeof clientKind> | RecordOf<typeof messageKind>;
  readonly options: WriteOptions;
  readonly clientId: string;
  readonly inboundId: string;
  readonly newClient: boolean;
}

/**
 * Everything a submission writes, as one transaction. Someone new becomes a card with status
 * `lead`, claiming their email and phone, plus a lead record with the form as source. A matched
 * card is kept as it is: an anonymous form may only fill custom field values it does not have yet.
 */
export function intakeWrite(intake: Intake): IntakeWrite {
  const { matched, now } = intake;
  const clientId = matched?.id ?? intake.ids.client;
  const inbound = { kind: messageKind, record: inboundItem(intake, clientId), expected: 'absent' } as const;
  const more = intake.alsoPut?.(clientId) ?? [];
  const references = intake.references ?? [];
  const result = { clientId, inboundId: inbound.record.id, newClient: matched === undefined };

  if (!matched) {
    const client = newClient(intake);
    const lead: Lead = newRecord({ clientId, source: leadSource(intake.form), status: statusFromList(undefined, intake.leadStatuses) }, intake.ids.lead, now);
    return {
      ...result,
      kind: clientKind,
      record: client,
      options: { expected: 'absent', references, claims: clientClaims(client), alsoPut: [{ kind: leadKind, record: lead, expected: 'absent' } as const, inbound, ...more] },
    };
  }

  const current = matched.customFields;
  const missing = Object.entries(intake.fieldValues).filter(([id]) => current[id] === undefined);
  if (missing.length > 0) {
    const filled = revise(matched, { customFields: { ...current, ...Object.fromEntries(missing) } }, now);
    return { ...result, kind: clientKind, record: filled, options: { expected: matched.version, references, alsoPut: [inbound, ...more] } };
  }
  // The card must still exist when the item is written under it.
  return {
    ...result,
    kind: messageKind,
    record: inbound.record,
    options: { expected: 'absent', references: [{ kind: clientKind, id: clientId, field: 'clientId' }, ...references], alsoPut: more },
  };
}

function newClient(intake: Intake): Client {
  const { submitter } = intake;
  // Only what no other card holds: a 409 would tell an anonymous caller that the address is a client's.
  const contact = Object.fromEntries(Object.entries(intake.contact).filter(([field]) => !intake.taken.includes(field as keyof Contact))) as Contact;
  return newRecord(
    {
      firstName: submitter.firstName,
      ...(submitter.lastName === undefined ? {} : { lastName: submitter.lastName }),
      ...contact,
      ...(submitter.language === undefined ? {} : { language: submitter.language }),
      consent: { email: contact.email !== undefined, sms: submitter.smsConsent === true },
      status: 'lead' as const,
      customFields: intake.fieldValues,
    },
    intake.ids.client,
    intake.now,
  );
}

/**
 * The conversation item of a submission, with who the form says wrote, as typed: an auto-reply
 * greets them by that name and goes back the way they wrote from (email first).
 */
function inboundItem(intake: Pick<Intake, 'form' | 'submitter' | 'contact' | 'fieldValues' | 'text' | 'entity' | 'ids' | 'now'>, clientId: string): RecordOf<typeof messageKind> {
  const { contact, submitter, now } = intake;
  const at = now.toISOString();
  const item: ConversationMessage = {
    id: intake.ids.inbound,
    clientId,
    direction: 'inbound',
    channel: 'web',
    messageType: inboundTypeOf[intake.form],
    audience: 'client',
    status: 'received',
    attempts: 0,
    ...(contact.email !== undefined ? { replyChannel: 'email', replyTo: contact.email } : contact.phone !== undefined ? { replyChannel: 'sms', replyTo: contact.phone } : {}),
    sender: { firstName: submitter.firstName, ...(submitter.lastName === undefined ? {} : { lastName: submitter.lastName }), ...contact },
    ...(intake.text === undefined ? {} : { text: intake.text }),
    ...(intake.entity === undefined ? {} : { entity: { kind: intake.entity.kind, id: intake.entity.id } }),
    ...(Object.keys(intake.fieldValues).length === 0 ? {} : { fields: intake.fieldValues }),
    createdAt: at,
    updatedAt: at,
  };
  return { ...item, version: 1 };
}
