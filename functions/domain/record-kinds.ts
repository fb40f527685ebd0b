import * as z from 'zod';
import { Booking, bookingKind } from '#domain/bookings.ts';
import { ClientField, clientFieldKind } from '#domain/client-fields.ts';
import { Client, clientKind } from '#domain/clients.ts';
import { Document, documentKind } from '#domain/documents.ts';
import { Estimate, estimateKind } from '#domain/estimates.ts';
import { SubmitterFields } from '#domain/submitter.ts';
import { Invoice, invoiceKind } from '#domain/invoices.ts';
import { ClientImport, clientImportKind, ImportChunk, importChunkKind } from '#domain/imports/client-import.ts';
import { Lead, leadKind } from '#domain/leads.ts';
import { Location, locationKind } from '#domain/locations.ts';
import { Notification, notificationKind } from '#domain/notifications.ts';
import { Order, OrderEvent, orderEventKind, orderKind } from '#domain/orders.ts';
import { RecordMeta } from '#domain/record.ts';
import { defaultSettings, Settings, settingsKind } from '#domain/settings.ts';
import { SenderIdentity, senderIdentityKind } from '#domain/sender.ts';
import { defaultPlan, planKind, TenantPlan } from '#domain/plans.ts';
import { withStoredDefaults } from '#domain/stored-defaults.ts';
import { ConversationMessage, messageKind } from '#domain/messages/conversation.ts';
import { RearmJob, rearmKind } from '#domain/messages/rearm.ts';
import { AutomatedMessages, automatedMessagesKind, CustomRule, defaultAutomatedMessages, ruleKind } from '#domain/messages/rules.ts';
import { TemplateRecord, templateKind } from '#domain/messages/template-record.ts';

const singletonMeta = { id: RecordMeta.shape.id, createdAt: RecordMeta.shape.createdAt };

/**
 * Every kind of record the store holds, and the schema its stored documents are parsed with on
 * every read. A stored record is what was put, less the key attributes (pk, sk, the index keys,
 * kind, tenantId): its fields and RecordMeta, so the schemas are strict where the record schemas
 * are; a field added later reads with its default when the schema gives one.
 */
const schemas = {
  [bookingKind]: Booking,
  [clientKind]: Client,
  [invoiceKind]: Invoice,
  [estimateKind]: Estimate,
  [orderKind]: Order,
  [orderEventKind]: OrderEvent,
  [leadKind]: Lead,
  [locationKind]: Location,
  [clientFieldKind]: ClientField,
  [notificationKind]: z.strictObject(Notification.shape),
  /** A pending document keeps who sent it, and its TTL (`expiresAt`), until the upload is confirmed. */
  [documentKind]: z.strictObject({ ...Document.shape, submitter: SubmitterFields.optional() }),
  [templateKind]: TemplateRecord,
  [ruleKind]: CustomRule,
  // The settings documents always exist (version 0 until first saved): what is missing, at any depth, reads as the defaults.
  [settingsKind]: withStoredDefaults(Settings.extend(singletonMeta), defaultSettings),
  [automatedMessagesKind]: withStoredDefaults(AutomatedMessages.extend(singletonMeta), defaultAutomatedMessages),
  [senderIdentityKind]: SenderIdentity,
  /** Set only by the platform operator (PUT /operator/tenants/{tenantId}/plan). */
  [planKind]: withStoredDefaults(TenantPlan.extend(singletonMeta), defaultPlan),
  /**
   * Messages are mostly written by the message log, which keeps a sender's lease and the provider's
   * acceptance on them (`StoredMessage`), and by the provider's events, which keep the keys of the
   * events already recorded; only inbound items, which the store writes, carry a version.
   */
  [messageKind]: z.strictObject({
    ...ConversationMessage.shape,
    version: z.number().int().min(1).optional(),
    leaseUntil: z.string().optional(),
    providerAccepted: z.boolean().optional(),
    deliveryEventKeys: z.set(z.string()).optional(),
  }),
  [rearmKind]: RearmJob,
  [clientImportKind]: ClientImport,
  /** The report rows of one chunk of an import. */
  [importChunkKind]: ImportChunk,
};

export type RecordKind = keyof typeof schemas;
/** A record of the kind as the store returns it: parsed, defaults applied. */
export type RecordOf<K extends RecordKind> = z.output<(typeof schemas)[K]>;

/** The per-tenant documents that always exist: a kind with one id, its defaults until first saved. */
export type SingletonKind = typeof settingsKind | typeof automatedMessagesKind | typeof planKind;
/** A singleton document as the API shows it: without its id and creation time. */
export type SingletonOf<K extends SingletonKind> = Omit<RecordOf<K>, 'id' | 'createdAt'>;

/** The kinds whose records carry RecordMeta: all but conversation messages. */
export type VersionedKind = { [K in RecordKind]: RecordOf<K> extends RecordMeta ? K : never }[RecordKind];

/** Typed per kind, so `recordSchemas[kind]` of a generic kind parses to that kind's record. */
export const recordSchemas: { readonly [K in RecordKind]: z.ZodType<RecordOf<K>> } = schemas;

export const isRecordKind = (kind: unknown): kind is RecordKind => typeof kind === 'string' && Object.hasOwn(schemas, kind);

/** A stored document that does not parse with its kind's schema: our bug (or a hand edit), not the caller's. */
export class MalformedRecord extends Error {
  readonly kind: string;
  readonly id: string;
  readonly issues: readonly z.core.$ZodIssue[];

  constructor(kind: string, id: string, error: z.ZodError) {
    super(`Stored ${kind} ${id} does not match its schema: ${z.prettifyError(error).replaceAll('\n', '; ')}`);
    this.name = 'MalformedRecord';
    this.kind = kind;
    this.id = id;
    this.issues = error.issues;
  }
}

/** A stored document of the kind, parsed; `MalformedRecord` when it does not match. */
export function parseRecord<K extends RecordKind>(kind: K, stored: Readonly<Record<string, unknown>>): RecordOf<K> {
  const result = recordSchemas[kind].safeParse(stored);
  if (result.success) return result.data;
  throw new MalformedRecord(kind, typeof stored.id === 'string' ? stored.id : '(no id)', result.error);
}
