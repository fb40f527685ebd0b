import type { z } from 'zod';
import { clientKind } from '#domain/clients.ts';
import type { RecordRef, StoredRecord, UniqueClaim } from '#domain/record-store.ts';
import { assertEditable, mergedInput, type Prepared, type RecordArea } from '#http/record-routes.ts';

/**
 * What invoices and estimates share: a client, a number unique within the tenant, editable and
 * deletable only while a draft.
 */
export function numberedDocument(kind: string, input: z.ZodType): Pick<RecordArea, 'create' | 'remove'> & { prepareChange: RecordArea['patch']['prepare'] } {
  const numberClaim = (number: unknown): UniqueClaim => ({ scope: 'tenant', name: `${kind}-number`, value: String(number) });
  const clientRef = (id: unknown): RecordRef => ({ kind: clientKind, id: String(id), field: 'clientId' });
  return {
    create: {
      body: input,
      prepare: async (fields): Promise<Prepared> => ({ fields: { ...fields, status: 'draft' }, references: [clientRef(fields.clientId)], claims: [numberClaim(fields.number)] }),
    },
    async prepareChange(current: StoredRecord, patch) {
      assertEditable(kind, current, ['draft']);
      const fields = mergedInput(input, current, patch);
      const renumbered = fields.number !== current.number;
      return {
        fields,
        references: patch.clientId ? [clientRef(patch.clientId)] : [],
        claims: renumbered ? [numberClaim(fields.number)] : [],
        releases: renumbered ? [numberClaim(current.number)] : [],
      };
    },
    remove: {
      check: async (current) => assertEditable(kind, current, ['draft']),
      releases: (current) => [numberClaim(current.number)],
    },
  };
}
