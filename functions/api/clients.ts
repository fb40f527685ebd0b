import type { AreaResource } from '#api/catalog.ts';
import * as z from 'zod';
import { checkCustomFieldValues, mergeCustomFieldValues, type CustomFieldValue } from '#domain/client-fields.ts';
import { Client, ClientInput, ClientPatch, afterPatch, clientClaims, clientKind, clientStatuses, suppressionChannels } from '#domain/clients.ts';
import { DomainError, invalidInput } from '#domain/errors.ts';
import { claimChanges } from '#domain/record-store.ts';
import { hasCountryCode, phoneInE164 } from '#domain/phone.ts';
import type { AppDeps } from '#http/deps.ts';
import { httpHandler } from '#http/http-handler.ts';
import { IdParams, errors, load, mergedInput, pageOf, recordRoutes, withEtag } from '#http/record-routes.ts';
import { revise } from '#domain/record.ts';
import { RecordId } from '#domain/values.ts';
import { defineRoute } from '#http/route.ts';
import { ConversationMessage } from '#domain/messages/conversation.ts';
import { notFound } from '#domain/errors.ts';
import { apiDeps } from '#wiring/api.ts';
import { deliveryQueue } from '#wiring/sqs.ts';
import { routes as clientActions } from '#api/client-actions.ts';
import { clientFieldDefinitions } from '#services/client-field-definitions.ts';
import { tenantSettings } from '#services/tenant-settings.ts';
import { routes as cardRoutes } from '#api/client-card.ts';

/** E.164 for a typed number; settings are read only for a number without a country code. */
async function phoneE164(raw: string, tenantId: string, deps: AppDeps): Promise<string> {
  return phoneInE164(raw, hasCountryCode(raw) ? undefined : (await tenantSettings(deps, tenantId)).defaultCountry);
}

async function checkedCustomFields(values: Record<string, CustomFieldValue>, tenantId: string, deps: AppDeps): Promise<void> {
  if (Object.keys(values).length === 0) return;
  const issues = checkCustomFieldValues(values, await clientFieldDefinitions(deps, tenantId));
  if (issues.length) throw invalidInput(issues);
}

const ClientRecord = Client.meta({ id: 'Client' });

const clientRoutes = recordRoutes({
  kind: clientKind,
  path: '/clients',
  tag: 'Clients',
  record: ClientRecord,
  create: {
    body: ClientInput,
    async prepare(input, request, deps) {
      await checkedCustomFields(input.customFields as Record<string, CustomFieldValue>, request.tenantId, deps);
      const phone = typeof input.phone === 'string' ? await phoneE164(input.phone, request.tenantId, deps) : undefined;
      return { fields: { ...input, phone }, claims: clientClaims({ ...input, phone }) };
    },
  },
  patch: {
    body: ClientPatch,
    async prepare(current, patch, request, deps) {
      const values = (patch.customFields ?? {}) as Record<string, CustomFieldValue>;
      await checkedCustomFields(Object.fromEntries(Object.entries(values).filter(([, value]) => value !== null)), request.tenantId, deps);
      const phone = typeof patch.phone === 'string' ? await phoneE164(patch.phone, request.tenantId, deps) : patch.phone;
      const customFields = mergeCustomFieldValues((current.customFields ?? {}) as Record<string, CustomFieldValue>, values);
      const merged = mergedInput(ClientInput, current, { ...patch, phone, customFields });
      const fields = { ...merged, ...afterPatch(current as Client, merged) };
      return { fields, ...claimChanges(clientClaims(current), clientClaims(fields)) };
    },
  },
  list: { defaultOrder: 'created', byClient: false, search: true, status: z.enum(clientStatuses) },
  remove: {
    releases: clientClaims,
    async check(current, request, deps) {
      if (await deps.store.clientHasRecords(request.tenantId, current.id)) {
        throw new DomainError(
          'in_use',
          `Client ${current.id} has bookings, invoices, estimates, orders, leads, documents or messages; archive it (status "archived") instead`,
          { kind: clientKind, id: current.id },
        );
      }
    },
  },
});

const conversation = defineRoute({
  method: 'GET',
  path: '/clients/{id}/messages',
  tag: 'Clients',
  auth: 'tenant',
  summary: 'The client’s conversation: every message to and from them, newest first, with its status',
  params: IdParams,
  query: z.strictObject({ limit: z.coerce.number().int().min(1).max(100).default(50), cursor: z.string().min(1).max(2048).optional() }),
  responses: { 200: { description: 'A page of messages', schema: pageOf(ConversationMessage) } },
  async operation(request, deps) {
    if (!(await deps.store.get(request.tenantId, clientKind, request.params.id))) throw notFound(clientKind, request.params.id);
    const page = await deps.messages.listForClient(request.tenantId, request.params.id, {
      limit: request.query.limit,
      ...(request.query.cursor === undefined ? {} : { cursor: request.query.cursor }),
    });
    return { status: 200, body: page };
  },
});

const liftSuppression = defineRoute({
  method: 'DELETE',
  path: '/clients/{id}/suppressions/{channel}',
  tag: 'Clients',
  auth: 'tenant',
  summary: 'Lift the suppression of the client’s address on a channel (idempotent): messages go to it again',
  params: z.strictObject({ id: RecordId, channel: z.enum(suppressionChannels) }),
  ifMatch: 'required',
  responses: { 200: { description: 'The client, its address no longer suppressed', schema: ClientRecord }, ...errors(400, 404, 412) },
  async operation(request, deps) {
    const current = await load(deps, request, clientKind);
    if (!current.suppressions?.[request.params.channel]) return withEtag(current);
    const next = revise(current, { suppressions: undefined }, deps.now());
    await deps.store.put(request.tenantId, clientKind, next, { expected: current.version });
    return withEtag(next);
  },
});

export const routes = [...clientRoutes, liftSuppression, conversation, ...cardRoutes, ...clientActions];
/** What the area's function uses besides the table: the stack grants exactly these, and the handler wires them. */
export const uses = ['delivery-queue'] as const satisfies readonly AreaResource[];

export const handler = httpHandler(routes, apiDeps({ queue: deliveryQueue }));
