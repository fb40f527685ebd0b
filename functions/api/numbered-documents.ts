import * as z from 'zod';
import { activeClientRef } from '#domain/clients.ts';
import type { Lifecycle } from '#domain/lifecycle.ts';
import type { StoredRecord, UniqueClaim } from '#domain/record-store.ts';
import type { estimateKind } from '#domain/estimates.ts';
import type { invoiceKind } from '#domain/invoices.ts';
import { CalendarDate } from '#domain/values.ts';
import { mergedInput, type LifecycleAction, type Prepared, type RecordArea } from '#http/record-routes.ts';

/** What sets invoices and estimates apart; everything else they share. */
export interface NumberedDocument {
  readonly kind: typeof invoiceKind | typeof estimateKind;
  readonly path: string;
  readonly tag: string;
  /** The stored record's schema, unregistered: the answers add `allowedActions` under `schemaId`. */
  readonly record: z.ZodObject;
  readonly schemaId: string;
  readonly input: z.ZodObject;
  readonly patch: z.ZodType;
  /** The calendar date the document is listed and filtered by, e.g. `due date`. */
  readonly dateDescribes: string;
  readonly statuses: readonly [string, ...string[]];
  readonly lifecycle: Lifecycle<string>;
  readonly actions: readonly LifecycleAction[];
  /** Whether list items embed the client's name (invoices). */
  readonly embedsClient?: boolean;
}

/** A document's number, held by one document of its kind in the tenant. */
export const documentNumberClaim = (kind: NumberedDocument['kind'], number: unknown): UniqueClaim => ({
  scope: 'tenant',
  name: `${kind}-number`,
  field: 'number',
  value: String(number),
  taken: `${kind} number ${String(number)} is already taken`,
});

/**
 * The routes of a document sent to a client with a number unique within the tenant (invoices,
 * estimates): editable and deletable only while a draft.
 */
/** The record area of a numbered document, for its routes and for answers elsewhere (the client card) that show its records alike. */
export function numberedDocumentArea(document: NumberedDocument): RecordArea {
  const { kind, input } = document;
  const numberClaim = (number: unknown): UniqueClaim => documentNumberClaim(kind, number);
  const clientRef = activeClientRef;
  return {
    kind,
    path: document.path,
    tag: document.tag,
    record: document.record,
    schemaId: document.schemaId,
    create: {
      body: input,
      prepare: async (fields): Promise<Prepared> => ({ fields: { ...fields, status: 'draft' }, references: [clientRef(fields.clientId)], claims: [numberClaim(fields.number)] }),
    },
    patch: {
      body: document.patch,
      editableIn: ['draft'],
      async prepare(current: StoredRecord, patch) {
        const fields = mergedInput(input, current, patch);
        const renumbered = fields.number !== current.number;
        return {
          fields,
          references: patch.clientId ? [clientRef(patch.clientId)] : [],
          claims: renumbered ? [numberClaim(fields.number)] : [],
          releases: renumbered ? [numberClaim(current.number)] : [],
        };
      },
    },
    remove: {
      editableIn: ['draft'],
      releases: (current) => [numberClaim(current.number)],
    },
    list: {
      defaultOrder: 'created',
      time: { schema: CalendarDate, describes: document.dateDescribes },
      byClient: true,
      status: z.enum(document.statuses),
      ...(document.embedsClient ? { embeds: ['client'] as const } : {}),
    },
    lifecycle: { statuses: document.lifecycle, actions: document.actions },
  };
}
