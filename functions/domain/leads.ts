import { z } from 'zod';
import { RecordMeta } from '#domain/record.ts';
import { Notes, RecordId } from '#domain/values.ts';

const LeadFields = z.strictObject({
  /** The client card of the person the lead is about. */
  clientId: RecordId,
  source: z.string().trim().min(1).max(100),
  /** One of the tenant's lead statuses; the first one when omitted. */
  status: z.string().trim().min(1).max(40),
  notes: Notes,
});

export const LeadInput = LeadFields.partial({ status: true, notes: true });
export const LeadPatch = LeadFields.omit({ clientId: true }).partial();
export const Lead = LeadFields.partial({ notes: true }).extend(RecordMeta.shape);
export type Lead = z.infer<typeof Lead>;

export const leadKind = 'lead';
