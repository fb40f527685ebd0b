import * as z from 'zod';
import { versionConflict } from '#domain/errors.ts';
import { defaultPlan, monthIn, PlanInput, planId, planKind, smsBudgetOf, TenantPlan } from '#domain/plans.ts';
import { newRecord, replace } from '#domain/record.ts';
import { parseRecord } from '#domain/record-kinds.ts';
import type { AppDeps } from '#http/deps.ts';
import { errors } from '#http/record-routes.ts';
import { etag } from '#http/request.ts';
import { defineRoute } from '#http/route.ts';
import { loadSingleton } from '#http/singleton-routes.ts';
import { tenantSettings } from '#services/tenant-settings.ts';

/**
 * The business's plan, set by the platform operator only (its own routes under /operator, for a
 * token in the Cognito group `operators`), and what the business sees of it: `GET /usage`.
 */

const plan = { kind: planKind, id: planId, defaults: defaultPlan } as const;
export const tenantPlan = (deps: AppDeps, tenantId: string): Promise<TenantPlan> => loadSingleton(plan, deps, tenantId);

const OperatorParams = z.strictObject({
  tenantId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a tenant id: 1-64 of A-Z, a-z, 0-9, _ and -')
    .meta({ description: 'The business, as its users’ custom:tenantId names it' }),
});
const PlanOutput = TenantPlan.meta({ id: 'TenantPlan' });
const operator = { tag: 'Operator', auth: 'tenant' as const, operator: true as const, params: OperatorParams };

const Usage = z
  .object({
    plan: PlanOutput.shape.plan,
    month: z.string().meta({ description: 'The business’s calendar month in its time zone, YYYY-MM' }),
    smsSegments: z.strictObject({
      budget: z.number().int().min(0).meta({ description: 'Segments the plan gives a month (0 on the free plan)' }),
      used: z.number().int().min(0),
      remaining: z.number().int().min(0),
    }),
  })
  .meta({ id: 'Usage' });

export const planRoutes = [
  defineRoute({
    ...operator,
    method: 'GET',
    path: '/operator/tenants/{tenantId}/plan',
    operationId: 'getTenantPlan',
    summary: 'Get a business’s plan (the default, at version 0, until the operator sets one)',
    responses: { 200: { description: 'The plan; ETag carries the version', schema: PlanOutput }, ...errors(400) },
    async operation(request, deps) {
      const current = await tenantPlan(deps, request.params.tenantId);
      return { status: 200, body: current, headers: { etag: etag(current.version) } };
    },
  }),
  defineRoute({
    ...operator,
    method: 'PUT',
    path: '/operator/tenants/{tenantId}/plan',
    operationId: 'setTenantPlan',
    summary: 'Set a business’s plan and, optionally, its own monthly SMS budget; If-Match: "0" sets it the first time',
    body: PlanInput,
    ifMatch: 'required',
    responses: { 200: { description: 'The plan as set', schema: PlanOutput }, ...errors(400, 412, 413, 415, 428) },
    async operation(request, deps) {
      const { tenantId } = request.params;
      const current = await deps.store.get(tenantId, planKind, planId);
      const currentVersion = current?.version ?? 0;
      if (request.ifMatch !== currentVersion) throw versionConflict(planKind, planId, currentVersion);
      const next = parseRecord(planKind, current ? replace(current, request.body, deps.now()) : newRecord(request.body, planId, deps.now()));
      await deps.store.put(tenantId, planKind, next, { expected: current ? current.version : 'absent' });
      const { id: _id, createdAt: _createdAt, ...body } = next;
      return { status: 200, body, headers: { etag: etag(next.version) } };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/usage',
    tag: 'Settings',
    auth: 'tenant',
    summary: 'This month’s SMS use against the plan’s budget, in segments (the month is the business’s own, in its time zone)',
    responses: { 200: { description: 'The month’s usage', schema: Usage } },
    async operation(request, deps) {
      const [current, settings] = await Promise.all([tenantPlan(deps, request.tenantId), tenantSettings(deps, request.tenantId)]);
      const month = monthIn(deps.now(), settings.timeZone);
      const budget = smsBudgetOf(current);
      const used = await deps.smsUsage.used(request.tenantId, month);
      return { status: 200, body: { plan: current.plan, month, smsSegments: { budget, used, remaining: Math.max(0, budget - used) } } };
    },
  }),
];
