import * as z from 'zod';
import type { Client } from '#domain/clients.ts';
import { conflict } from '#domain/errors.ts';
import { RecordMeta, revise } from '#domain/record.ts';
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
export const Lead = LeadFields.partial({ notes: true }).extend({
  convertedAt: z.iso.datetime().optional().meta({ description: 'When the lead was converted; the lead and its client’s history stay' }),
  ...RecordMeta.shape,
});
export type Lead = z.infer<typeof Lead>;

export const leadKind = 'lead';

export const ConvertLead = z.strictObject({
  status: LeadFields.shape.status.optional().meta({ description: 'The lead’s status from now on, one of the settings’ leadStatuses; unchanged when omitted' }),
});

/**
 * Converting a lead marks it converted and, if its client is still a lead, makes the client active.
 * Nothing is deleted: the lead, the client's conversation, documents and bookings all stay.
 */
export function convertLead(lead: Lead, client: Client | undefined, status: string, now: Date): { lead: Lead; client?: Client } {
  if (lead.convertedAt !== undefined) throw conflict(`Lead ${lead.id} was already converted at ${lead.convertedAt}`, { convertedAt: lead.convertedAt });
  const converted = revise(lead, { status, convertedAt: now.toISOString() }, now);
  return client?.status === 'lead' ? { lead: converted, client: revise(client, { status: 'active' }, now) } : { lead: converted };
}
