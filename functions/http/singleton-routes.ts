import type { z } from 'zod';
import { invalidInput, versionConflict, type FieldIssue } from '#domain/errors.ts';
import { newRecord, replace } from '#domain/record.ts';
import { claimChanges, type UniqueClaim } from '#domain/record-store.ts';
import { parseRecord, type SingletonKind, type SingletonOf } from '#domain/record-kinds.ts';
import type { AppDeps } from '#http/deps.ts';
import { defineRoute, type AnyRoute, type RouteResponse } from '#http/route.ts';
import { etag } from '#http/request.ts';
import { ErrorResponse } from '#http/record-routes.ts';

/**
 * GET and PUT of a per-tenant document that always exists: defaults at version 0 until the first
 * save (If-Match: "0"), then optimistic concurrency like any record.
 */
export interface SingletonDocument<K extends SingletonKind> {
  readonly path: string;
  readonly tag: string;
  readonly name: string;
  readonly kind: K;
  readonly id: string;
  readonly input: z.ZodType;
  readonly output: z.ZodType;
  readonly defaults: SingletonOf<K>;
  /** Checks beyond the schema, e.g. templates that must compile. */
  readonly check?: (input: SingletonOf<K>) => FieldIssue[];
  /** What the business may save at all (its plan's features), checked before anything is written; refuses with 403. */
  readonly allowed?: { readonly check: (input: SingletonOf<K>, deps: AppDeps, tenantId: string) => Promise<void>; readonly refusal: string };
  /** Values only one document may hold (a public slug); a value taken elsewhere is refused with 409. */
  readonly claims?: (document: Readonly<Record<string, unknown>>) => readonly UniqueClaim[];
  /** Runs once the document is saved (the settings' first save creates the business's SES tenant). */
  readonly afterSave?: (tenantId: string, deps: AppDeps) => Promise<void>;
}

/** The stored document, or its defaults; the store's schema gives a document saved before a field existed that field's default. */
export async function loadSingleton<K extends SingletonKind>(document: Pick<SingletonDocument<K>, 'kind' | 'id' | 'defaults'>, deps: Pick<AppDeps, 'store'>, tenantId: string): Promise<SingletonOf<K>> {
  const stored = await deps.store.get(tenantId, document.kind, document.id);
  if (!stored) return document.defaults;
  const { id: _id, createdAt: _createdAt, ...fields } = stored;
  return fields;
}

export function singletonRoutes<K extends SingletonKind>(document: SingletonDocument<K>): AnyRoute[] {
  const { path, tag, name, kind, id } = document;
  const taken: Record<number, RouteResponse> = document.claims ? { 409: { description: 'A value only one business may hold is taken', schema: ErrorResponse } } : {};
  const refused: Record<number, RouteResponse> = document.allowed ? { 403: { description: document.allowed.refusal, schema: ErrorResponse } } : {};
  return [
    defineRoute({
      method: 'GET',
      path,
      tag,
      auth: 'tenant',
      summary: `Get the ${name} (defaults, at version 0, until first saved)`,
      responses: { 200: { description: `The ${name}; ETag carries the version`, schema: document.output } },
      async operation(request, deps) {
        const current = await loadSingleton(document, deps, request.tenantId);
        return { status: 200, body: current, headers: { etag: etag(current.version) } };
      },
    }),
    defineRoute({
      method: 'PUT',
      path,
      tag,
      auth: 'tenant',
      summary: `Replace the ${name}; If-Match: "0" saves them the first time`,
      body: document.input,
      ifMatch: 'required',
      responses: {
        200: { description: `The saved ${name}`, schema: document.output },
        400: { description: 'Invalid document', schema: ErrorResponse },
        ...refused,
        ...taken,
        412: { description: 'If-Match names an older version', schema: ErrorResponse },
        428: { description: 'If-Match is required', schema: ErrorResponse },
      },
      async operation(request, deps) {
        const issues = document.check?.(request.body as SingletonOf<K>) ?? [];
        if (issues.length) throw invalidInput(issues);
        await document.allowed?.check(request.body as SingletonOf<K>, deps, request.tenantId);
        const current = await deps.store.get(request.tenantId, kind, id);
        const currentVersion = current?.version ?? 0;
        if (request.ifMatch !== currentVersion) throw versionConflict(kind, id, currentVersion);
        const fields = request.body as Record<string, unknown>;
        const next = parseRecord(kind, current ? replace(current, fields, deps.now()) : newRecord(fields, id, deps.now()));
        const claimed = claimChanges(current ? (document.claims?.(current) ?? []) : [], document.claims?.(fields) ?? []);
        await deps.store.put(request.tenantId, kind, next, { expected: current ? current.version : 'absent', ...claimed });
        await document.afterSave?.(request.tenantId, deps);
        const { id: _id, createdAt: _createdAt, ...body } = next;
        return { status: 200, body, headers: { etag: etag(next.version) } };
      },
    }),
  ];
}
