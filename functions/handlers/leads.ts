import { z } from 'zod';
import { clientKind } from '#domain/clients.ts';
import { Lead, LeadInput, LeadPatch, leadKind } from '#domain/leads.ts';
import { statusFromList } from '#domain/settings.ts';
import { httpHandler } from '#http/http-handler.ts';
import { mergedInput, recordRoutes } from '#http/record-routes.ts';
import { appDeps } from '#handlers/wiring.ts';
import { tenantSettings } from '#handlers/tenant-settings.ts';

export const routes = recordRoutes({
  kind: leadKind,
  path: '/leads',
  tag: 'Leads',
  record: Lead.meta({ id: 'Lead' }),
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

export const handler = httpHandler(routes, appDeps);
