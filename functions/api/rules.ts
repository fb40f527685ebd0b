import * as z from 'zod';
import { conflict, DomainError, invalidInput, notFound } from '#domain/errors.ts';
import { locationKind } from '#domain/locations.ts';
import { revise } from '#domain/record.ts';
import type { RecordRef, StoredRecord } from '#domain/record-store.ts';
import { parseRecord } from '#domain/record-kinds.ts';
import { RecordId } from '#domain/values.ts';
import { channels, messageTypeNames } from '#domain/messages/message-types.ts';
import { CustomRule, CustomRuleInput, CustomRulePatch, ruleKind } from '#domain/messages/rules.ts';
import type { AppDeps } from '#http/deps.ts';
import { defineRoute } from '#http/route.ts';
import { httpHandler } from '#http/http-handler.ts';
import { ErrorResponse, mergedInput, recordRoutes } from '#http/record-routes.ts';
import { errorResult } from '#http/responses.ts';
import { apiDeps } from '#wiring/api.ts';
import { tenantSettings } from '#services/tenant-settings.ts';

/** The evaluator reads all of a tenant's rules for each batch; this keeps that one small query. */
export const maxRules = 200;

type Row = Record<string, unknown>;

/** Checks what the schema cannot: the tenant's own statuses, and that named locations exist. */
async function checkedRule(rule: Row, tenantId: string, deps: AppDeps): Promise<{ fields: Row; references: RecordRef[] }> {
  const trigger = rule.trigger as { entity: string; toStatus?: string };
  if (trigger.toStatus !== undefined && (trigger.entity === 'order' || trigger.entity === 'lead')) {
    const settings = await tenantSettings(deps, tenantId);
    const statuses = trigger.entity === 'order' ? settings.orderStatuses : settings.leadStatuses;
    if (!statuses.includes(trigger.toStatus)) {
      throw invalidInput([{ path: 'trigger.toStatus', message: `must be one of the business's ${trigger.entity} statuses: ${statuses.join(', ')}` }]);
    }
  }
  const locations = rule.locations === 'all' ? [] : (rule.locations as string[]);
  return { fields: rule, references: locations.map((id, i) => ({ kind: locationKind, id, field: `locations.${i}` })) };
}

const BulkChange = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('delete'), ids: z.array(RecordId).min(1).max(100) }),
  z.strictObject({ action: z.literal('set_template'), ids: z.array(RecordId).min(1).max(100), template: z.enum(messageTypeNames) }),
  z.strictObject({ action: z.literal('set_channel'), ids: z.array(RecordId).min(1).max(100), channel: z.enum(channels) }),
]);
type BulkChange = z.infer<typeof BulkChange>;

const BulkResult = z.object({
  results: z.array(z.object({ id: z.string(), status: z.number().int(), version: z.number().int().optional(), error: ErrorResponse.shape.error.optional() })),
});

async function applyBulk(change: BulkChange, id: string, tenantId: string, deps: AppDeps): Promise<{ id: string; status: number; version?: number }> {
  const current = await deps.store.get(tenantId, ruleKind, id);
  if (!current) throw notFound(ruleKind, id);
  if (change.action === 'delete') {
    await deps.store.remove(tenantId, ruleKind, id, { expected: current.version });
    return { id, status: 204 };
  }
  const patch = change.action === 'set_template' ? { template: change.template } : { channel: change.channel };
  const next = parseRecord(ruleKind, revise<StoredRecord>(current, mergedInput(CustomRuleInput, current, patch), deps.now()));
  await deps.store.put(tenantId, ruleKind, next, { expected: current.version });
  return { id, status: 200, version: next.version };
}

export const routes = [
  ...recordRoutes({
    kind: ruleKind,
    path: '/rules',
    tag: 'Rules',
    record: CustomRule.meta({ id: 'Rule' }),
    create: {
      body: CustomRuleInput,
      async prepare(input, request, deps) {
        const existing = await deps.store.list(request.tenantId, ruleKind, { order: { by: 'created' }, limit: maxRules });
        if (existing.items.length >= maxRules) throw conflict(`A business can have at most ${maxRules} rules`);
        return checkedRule(input, request.tenantId, deps);
      },
    },
    patch: { body: CustomRulePatch, prepare: (current, patch, request, deps) => checkedRule(mergedInput(CustomRuleInput, current, patch), request.tenantId, deps) },
    list: { defaultOrder: 'created', byClient: false },
    remove: {},
  }),
  defineRoute({
    method: 'POST',
    path: '/rules/bulk',
    operationId: 'changeRulesInBulk',
    tag: 'Rules',
    auth: 'tenant',
    summary: 'Delete rules, or change their template or channel, in one request; each rule gets its own result',
    body: BulkChange,
    responses: { 200: { description: 'One result per rule, with the status it would have had alone', schema: BulkResult } },
    async operation(request, deps) {
      const change = request.body;
      const results = await Promise.all(
        [...new Set(change.ids)].map((id) =>
          applyBulk(change, id, request.tenantId, deps).catch((error: unknown) => {
            const mapped = error instanceof DomainError ? errorResult(error) : undefined;
            if (!mapped) throw error;
            return { id, status: mapped.status, error: (mapped.body as { error: unknown }).error };
          }),
        ),
      );
      return { status: 200, body: { results } };
    },
  }),
];

export const handler = httpHandler(routes, apiDeps());
