import * as z from 'zod';
import { clientKind } from '#domain/clients.ts';
import { ConvertLead, Lead, LeadInput, LeadPatch, convertLead, leadKind } from '#domain/leads.ts';
import { statusFromList } from '#domain/settings.ts';
import type { CompanionWrite } from '#domain/record-store.ts';
import { httpHandler } from '#http/http-handler.ts';
import { IdParams, errors, load, mergedInput, recordRoutes, withEtag } from '#http/record-routes.ts';
import { defineRoute } from '#http/route.ts';
import { apiDeps } from '#wiring/api.ts';
import { tenantSettings } from '#services/tenant-settings.ts';

const LeadRecord = Lead.meta({ id: 'Lead' });

const leadRoutes = recordRoutes({
  kind: leadKind,
  path: '/leads',
  tag: 'Leads',
  record: LeadRecord,
  create: {
    body: LeadInput,
    async prepare(input, request, deps) {
      const { leadStatuses } = await tenantSettings(deps, request.tenantId);
      return {
        fields: { ...input, status: statusFromList(input.status as string | undefined, leadStatuses) },
        references: [{ kind: clientKind, id: String(input.clientId), field: 'clientId' }],
      };
    },
  },
  patch: {
    body: LeadPatch,
    async prepare(current, patch, request, deps) {
      const status = patch.status === undefined ? undefined : statusFromList(patch.status as string, (await tenantSettings(deps, request.tenantId)).leadStatuses);
      return { fields: mergedInput(LeadInput, current, { ...patch, status }) };
    },
  },
  list: { defaultOrder: 'created', byClient: true, status: z.string().trim().min(1).max(40) },
  remove: {},
});

const convert = defineRoute({
  method: 'POST',
  path: '/leads/{id}/convert',
  tag: 'Leads',
  auth: 'tenant',
  summary: 'Convert a lead: it is kept and marked converted, and its client card turns from lead to active',
  params: IdParams,
  body: ConvertLead,
  responses: { 200: { description: 'The converted lead; ETag carries its version', schema: LeadRecord }, ...errors(400, 404, 409, 412, 413, 415) },
  async operation(request, deps) {
    const current = await load(deps, request, leadKind);
    const status = request.body.status === undefined ? current.status : statusFromList(request.body.status, (await tenantSettings(deps, request.tenantId)).leadStatuses);
    const client = await deps.store.get(request.tenantId, clientKind, current.clientId);
    const converted = convertLead(current, client, status, deps.now());
    // The client is written under the version just read, so a concurrent edit of the card is not lost.
    const alsoPut: CompanionWrite[] = converted.client && client ? [{ kind: clientKind, record: converted.client, expected: client.version }] : [];
    await deps.store.put(request.tenantId, leadKind, converted.lead, { expected: current.version, alsoPut });
    return withEtag(converted.lead);
  },
});

export const routes = [...leadRoutes, convert];
export const handler = httpHandler(routes, apiDeps());
