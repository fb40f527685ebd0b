import * as z from 'zod';
import { conflict, notFound, versionConflict } from '#domain/errors.ts';
import { assertTransition, type Lifecycle } from '#domain/lifecycle.ts';
import { newRecord, revise } from '#domain/record.ts';
import { refKey, type CompanionWrite, type ListOrder, type RecordRef, type StoredRecord, type UniqueClaim } from '#domain/record-store.ts';
import { clientKind } from '#domain/clients.ts';
import { locationKind } from '#domain/locations.ts';
import { parseRecord, type RecordOf, type VersionedKind } from '#domain/record-kinds.ts';
import { RecordId } from '#domain/values.ts';
import { searchPrefixOf } from '#domain/search.ts';
import type { AppDeps } from '#http/deps.ts';
import { defineRoute, type AnyRoute, type RouteRequest, type RouteResult } from '#http/route.ts';
import { etag, validated } from '#http/request.ts';
import { remembering } from '#http/idempotency.ts';

/**
 * The routes every record area shares (create, get, list, patch, delete, lifecycle actions),
 * built from one description per area so all areas behave alike: validation, optimistic
 * concurrency, references that must exist, unique values, and the same error shapes.
 */

type Row = Record<string, unknown>;
type Request = RouteRequest<Row, Row, Row>;

/** What an area computes before a write: the record's fields and what the write must check. */
export interface Prepared {
  readonly fields: Row;
  readonly references?: readonly RecordRef[];
  /** Counted references the write lets go (a booking moved to another location). */
  readonly dropsReferences?: readonly RecordRef[];
  readonly claims?: readonly UniqueClaim[];
  readonly releases?: readonly UniqueClaim[];
}

export interface LifecycleAction {
  /** The path segment, e.g. `confirm` in `POST /bookings/{id}/confirm`. */
  readonly name: string;
  readonly summary: string;
  readonly to: string;
  readonly body?: z.ZodType;
  readonly changes?: (body: Row) => Row;
}

export interface RecordArea {
  readonly kind: VersionedKind;
  /** Plural collection path, e.g. `/bookings`. */
  readonly path: string;
  readonly tag: string;
  /**
   * The stored record's schema. An area with a lifecycle passes it unregistered with `schemaId`: its
   * answers carry the computed `allowedActions`, and the schema says so.
   */
  readonly record: z.ZodType;
  readonly schemaId?: string;
  readonly create: { readonly body: z.ZodType; readonly prepare: (input: Row, request: Request, deps: AppDeps) => Promise<Prepared> };
  readonly patch: {
    readonly body: z.ZodType;
    /** The statuses a record may be changed in (all when absent); any other answers 409. */
    readonly editableIn?: readonly string[];
    readonly prepare: (current: StoredRecord, patch: Row, request: Request, deps: AppDeps) => Promise<Prepared>;
  };
  readonly list: {
    /** Without a filter, records come by creation, or in time order for kinds listed by their time. */
    readonly defaultOrder: 'created' | 'time';
    /** The kind's time (a booking's start, an invoice's due date) when it can be filtered by range. */
    readonly time?: { readonly schema: z.ZodType; readonly describes: string };
    readonly byClient: boolean;
    /** Whether the list takes `q`, a prefix search on the kind's search terms (clients: names, email, phone). */
    readonly search?: boolean;
    /** Display names each list item embeds (the client's name, the location's), read with one BatchGetItem per page. */
    readonly embeds?: readonly ('client' | 'location')[];
    /** Whether the list takes `locationId` (the kind names a location). */
    readonly byLocation?: boolean;
    /** The status filter, where the kind has a status; a fixed set of statuses (an enum) may be given several at once, comma-separated. */
    readonly status?: z.ZodType;
  };
  readonly remove?: {
    /** The statuses a record may be deleted in (all when absent); any other answers 409. */
    readonly editableIn?: readonly string[];
    readonly check?: (current: StoredRecord, request: Request, deps: AppDeps) => Promise<void>;
    readonly releases?: (current: StoredRecord) => readonly UniqueClaim[];
    /** The counted references the record holds, let go with it (an order's location). */
    readonly dropsReferences?: (current: StoredRecord) => readonly RecordRef[];
    /** Records count their references to this kind (locations): deleting one still referenced answers 409 `in_use`. */
    readonly unreferenced?: true;
  };
  readonly lifecycle?: { readonly statuses: Lifecycle<string>; readonly actions: readonly LifecycleAction[] };
  /** Records every write (create, patch, lifecycle action) also puts in its transaction: an order's history. */
  readonly alsoPut?: (tenantId: string, previous: StoredRecord | undefined, next: StoredRecord) => readonly CompanionWrite[];
}

export const IdParams = z.strictObject({ id: RecordId });

export const pageFields = {
  limit: z.coerce.number().int().min(1).max(100).default(50).meta({ description: 'Page size, 1 to 100' }),
  cursor: z.string().min(1).max(2048).optional().meta({ description: 'nextCursor of the previous page' }),
};

/**
 * A range must not end before it starts. Instants are compared as instants: `10:00+05:00` is
 * before `06:00+01:00` though it sorts after it as text. The store would refuse an inverted range
 * with an error of its own; here it is a 400 naming `to`.
 */
function rangeInOrder(query: { from?: unknown; to?: unknown }, context: z.RefinementCtx): void {
  if (typeof query.from !== 'string' || typeof query.to !== 'string') return;
  if (Date.parse(query.from) > Date.parse(query.to)) context.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
}

/**
 * A status filter: one value, or for a fixed set of statuses several, comma-separated
 * (`status=pending,confirmed`), meaning any of them.
 */
function statusFilter(status: z.ZodType): z.ZodType {
  if (!(status instanceof z.ZodEnum)) return status.optional().meta({ description: 'Only records in this status' });
  const values = status.options as string[];
  const one = values.map((value) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  return z
    .string()
    .regex(new RegExp(`^(${one})(,(${one}))*$`), `must be one or more of ${values.join(', ')}, separated by commas`)
    .optional()
    .meta({ description: `Only records in this status, or in any of several given comma-separated (e.g. \`${values.slice(0, 2).join(',')}\`): ${values.join(', ')}` });
}

/** A search (`q`) is its own list: other filters with it are a 400 naming them. */
function searchAlone(query: Record<string, unknown>, context: z.RefinementCtx): void {
  if (typeof query.q !== 'string') return;
  if (searchPrefixOf(query.q) === '') context.addIssue({ code: 'custom', path: ['q'], message: 'must contain a letter or a digit' });
  for (const other of ['status', 'clientId', 'locationId', 'from', 'to']) {
    if (query[other] !== undefined) context.addIssue({ code: 'custom', path: [other], message: 'cannot be combined with q' });
  }
}

/** The `where` of a status filter: a list where several were given. */
const statusWhere = (status: string): string | string[] => (status.includes(',') ? [...new Set(status.split(','))] : status);

export const pageOf = (item: z.ZodType) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const ErrorResponse = z
  .object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) })
  .meta({ id: 'Error' });

export const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [status, { description: errorDescriptions[status] ?? 'Error', schema: ErrorResponse }]));
const errorDescriptions: Record<number, string> = {
  400: 'Invalid request; details.issues names each bad field',
  404: 'No such record for this tenant',
  409: 'Not allowed in the record’s current status, or a value already taken',
  412: 'If-Match names an older version',
  413: 'Body too large',
  415: 'Body is not JSON',
  428: 'If-Match is required',
  429: 'Too many requests; Retry-After says in how many seconds to try again',
};

export const withEtag = (record: StoredRecord, status = 200, headers: Record<string, string> = {}): RouteResult => ({
  status,
  body: record,
  headers: { etag: etag(record.version), ...headers },
});

/**
 * A patch applied to the stored record's fields and checked as a whole against the create schema,
 * so rules that span fields (end after start) hold after every edit. Null in a patch clears a field.
 */
export function mergedInput(input: z.ZodObject, current: StoredRecord, patch: Row): Row {
  const shape = input.shape;
  const merged: Row = Object.fromEntries(Object.keys(shape).flatMap((key) => (current[key] === undefined ? [] : [[key, current[key]]])));
  const cleared: Row = {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete merged[key];
      cleared[key] = undefined;
    } else if (value !== undefined) merged[key] = value;
  }
  // Cleared keys stay as undefined so that spreading the result over the record removes them.
  return { ...(validated(input, merged, 'body') as Row), ...cleared };
}

/** The record named by the path, or 404; 412 when If-Match names another version. */
export async function load<K extends VersionedKind>(deps: AppDeps, request: Pick<Request, 'tenantId' | 'params' | 'ifMatch'>, kind: K): Promise<RecordOf<K>> {
  const id = request.params.id as string;
  const current = await deps.store.get(request.tenantId, kind, id);
  if (!current) throw notFound(kind, id);
  if (request.ifMatch !== undefined && request.ifMatch !== current.version) throw versionConflict(kind, id, current.version);
  return current;
}

/** The actions a record's status allows: its lifecycle actions from there, then `update` and `delete` where the area's checks would pass. */
export function allowedActionsOf(area: Pick<RecordArea, 'lifecycle' | 'patch' | 'remove'>, status: string): string[] {
  const moves = area.lifecycle?.statuses[status] ?? [];
  return [
    ...(area.lifecycle?.actions ?? []).filter((action) => moves.includes(action.to)).map((action) => action.name),
    ...(area.patch.editableIn === undefined || area.patch.editableIn.includes(status) ? ['update'] : []),
    ...(area.remove && (area.remove.editableIn === undefined || area.remove.editableIn.includes(status)) ? ['delete'] : []),
  ];
}

/**
 * The record schema an area answers with (with `allowedActions`, read-only and computed, where it
 * has a lifecycle), and its list items' (`<schemaId>ListItem`, with the embedded display names).
 */
export function answerSchemasOf(area: RecordArea): { record: z.ZodType; listItem: z.ZodType } {
  // One pair per area: a schema id is registered once, whoever answers with it (the area, the client card).
  let schemas = answerSchemaCache.get(area);
  if (!schemas) answerSchemaCache.set(area, (schemas = answerSchemas(area)));
  return schemas;
}
const answerSchemaCache = new WeakMap<RecordArea, { record: z.ZodType; listItem: z.ZodType }>();

function answerSchemas(area: RecordArea): { record: z.ZodType; listItem: z.ZodType } {
  if (area.schemaId === undefined) return { record: area.record, listItem: area.record };
  const names = area.lifecycle ? ([...area.lifecycle.actions.map((action) => action.name), 'update', ...(area.remove ? ['delete'] : [])] as [string, ...string[]]) : undefined;
  const base = names
    ? (area.record as z.ZodObject).extend({
        allowedActions: z.array(z.enum(names)).meta({
          readOnly: true,
          description:
            'Computed on every answer, never stored: the lifecycle actions valid from the current status (each a `POST …/{id}/<action>`), and `update` (PATCH) and `delete` (DELETE) where the status allows them',
        }),
      })
    : (area.record as z.ZodObject);
  const record = base.meta({ id: area.schemaId });
  const embeds = area.list.embeds ?? [];
  if (embeds.length === 0) return { record, listItem: record };
  const listItem = base
    .extend({
      ...(embeds.includes('client')
        ? {
            client: z
              .object({ firstName: z.string(), lastName: z.string().optional() })
              .optional()
              .meta({ readOnly: true, description: 'List items only, never stored: the client’s name as it is now, for display (absent if the client is gone)' }),
          }
        : {}),
      ...(embeds.includes('location')
        ? {
            location: z
              .object({ name: z.string() })
              .optional()
              .meta({ readOnly: true, description: 'List items only, never stored: the location’s name as it is now, for display (absent if the location is gone)' }),
          }
        : {}),
    })
    .meta({ id: `${area.schemaId}ListItem` });
  return { record, listItem };
}

/** A page's items with the display names of their client and location, read in one BatchGetItem. */
async function withDisplayNames(deps: AppDeps, tenantId: string, items: StoredRecord[], embeds: readonly ('client' | 'location')[]): Promise<StoredRecord[]> {
  if (embeds.length === 0 || items.length === 0) return items;
  const idOf = (item: StoredRecord, field: string) => (typeof item[field] === 'string' ? (item[field] as string) : undefined);
  const refs = new Map<string, { kind: typeof clientKind | typeof locationKind; id: string }>();
  for (const item of items) {
    const client = embeds.includes('client') ? idOf(item, 'clientId') : undefined;
    const location = embeds.includes('location') ? idOf(item, 'locationId') : undefined;
    if (client) refs.set(refKey(clientKind, client), { kind: clientKind, id: client });
    if (location) refs.set(refKey(locationKind, location), { kind: locationKind, id: location });
  }
  const found = await deps.store.getMany(tenantId, [...refs.values()]);
  return items.map((item) => {
    const client = embeds.includes('client') && idOf(item, 'clientId') ? found.get(clientKind, idOf(item, 'clientId')!) : undefined;
    const location = embeds.includes('location') && idOf(item, 'locationId') ? found.get(locationKind, idOf(item, 'locationId')!) : undefined;
    return {
      ...item,
      ...(client ? { client: { firstName: client.firstName, ...(client.lastName === undefined ? {} : { lastName: client.lastName }) } } : {}),
      ...(location ? { location: { name: location.name } } : {}),
    };
  });
}

/** What an answer shows of a stored record of the area: with its allowed actions where the area has a lifecycle. */
export const shownBy =
  (area: RecordArea) =>
  <T extends StoredRecord>(stored: T): T =>
    area.lifecycle ? { ...stored, allowedActions: allowedActionsOf(area, stored.status as string) } : stored;

export function recordRoutes(area: RecordArea): AnyRoute[] {
  const { kind, path, tag } = area;
  const { record, listItem } = answerSchemasOf(area);
  const item = `${path}/{id}`;
  const page = pageOf(listItem);
  const shown = shownBy(area);
  const answer = (stored: StoredRecord, status = 200, headers: Record<string, string> = {}) => withEtag(shown(stored), status, headers);
  const base = { tag, auth: 'tenant' as const };
  const companions = (tenantId: string, previous: StoredRecord | undefined, next: StoredRecord) => ({ alsoPut: area.alsoPut?.(tenantId, previous, next) ?? [] });

  const listQuery = z.strictObject({
    ...pageFields,
    ...(area.list.byClient ? { clientId: RecordId.optional().meta({ description: 'Only this client’s records' }) } : {}),
    ...(area.list.search
      ? {
          q: z
            .string()
            .trim()
            .min(1)
            .max(100)
            .optional()
            .meta({
              description:
                'Prefix search: records whose first name, last name, full name, email or phone starts with this, ignoring case and accents (a phone as digits: `+34 612` and `612` both find +34612345678). Not combined with other filters; ordered by the matching term',
            }),
        }
      : {}),
    ...(area.list.byLocation ? { locationId: RecordId.optional().meta({ description: 'Only records at this location' }) } : {}),
    ...(area.list.status ? { status: statusFilter(area.list.status) } : {}),
    ...(area.list.time
      ? {
          from: area.list.time.schema.optional().meta({ description: `Only records whose ${area.list.time.describes} is at or after this` }),
          to: area.list.time.schema
            .optional()
            .meta({ description: `Only records whose ${area.list.time.describes} is before this; not before \`from\` (compared as instants, whatever their offsets)` }),
        }
      : {}),
  })
    .superRefine(rangeInOrder)
    .superRefine(searchAlone);

  const routes: AnyRoute[] = [
    defineRoute({
      ...base,
      method: 'POST',
      path,
      summary: `Create a ${kind}`,
      body: area.create.body,
      idempotencyKey: 'optional',
      responses: { 201: { description: `The new ${kind}; ETag carries its version`, schema: record }, ...errors(400, 413, 415) },
      async operation(request, deps) {
        const prepared = await area.create.prepare(request.body as Row, request as Request, deps);
        const created = newRecord(prepared.fields, deps.newId(), deps.now());
        const created201 = answer(created, 201, { location: `${path}/${created.id}` });
        // Parsed as the kind's stored record: what is written reads back.
        await deps.store.put(request.tenantId, kind, parseRecord(kind, created), {
          expected: 'absent',
          ...prepared,
          ...companions(request.tenantId, undefined, created),
          ...remembering(request, created201),
        });
        return created201;
      },
    }),
    defineRoute({
      ...base,
      method: 'GET',
      path,
      summary: `List ${path.slice(1)}`,
      query: listQuery,
      responses: { 200: { description: `A page of ${path.slice(1)}`, schema: page }, ...errors(400) },
      async operation(request, deps) {
        const query = request.query as { limit: number; cursor?: string; q?: string; clientId?: string; locationId?: string; status?: string; from?: string; to?: string };
        if (query.q !== undefined) {
          const found = await deps.store.search(request.tenantId, kind, searchPrefixOf(query.q), {
            limit: query.limit,
            ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
          });
          return { status: 200, body: { ...found, items: found.items.map(shown) } };
        }
        const range = { ...(query.from === undefined ? {} : { from: query.from }), ...(query.to === undefined ? {} : { to: query.to }) };
        const order: ListOrder =
          query.clientId !== undefined
            ? { by: 'client', clientId: query.clientId, ...range }
            : query.from !== undefined || query.to !== undefined || area.list.defaultOrder === 'time'
              ? { by: 'time', ...range }
              : { by: 'created' };
        const result = await deps.store.list(request.tenantId, kind, {
          order,
          limit: query.limit,
          ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
          ...(query.status === undefined && query.locationId === undefined
            ? {}
            : {
                where: {
                  ...(query.status === undefined ? {} : { status: statusWhere(query.status) }),
                  ...(query.locationId === undefined ? {} : { locationId: query.locationId }),
                },
              }),
        });
        const items = await withDisplayNames(deps, request.tenantId, result.items, area.list.embeds ?? []);
        return { status: 200, body: { ...result, items: items.map(shown) } };
      },
    }),
    defineRoute({
      ...base,
      method: 'GET',
      path: item,
      summary: `Get a ${kind}`,
      params: IdParams,
      responses: { 200: { description: `The ${kind}; ETag carries its version`, schema: record }, ...errors(400, 404) },
      async operation(request, deps) {
        return answer(await load(deps, { ...request, ifMatch: undefined } as Request, kind));
      },
    }),
    defineRoute({
      ...base,
      method: 'PATCH',
      path: item,
      summary: `Change a ${kind}`,
      params: IdParams,
      body: area.patch.body,
      ifMatch: 'required',
      responses: { 200: { description: `The changed ${kind}`, schema: record }, ...errors(400, 404, 409, 412, 413, 415, 428) },
      async operation(request, deps) {
        const current: StoredRecord = await load(deps, request as Request, kind);
        if (area.patch.editableIn) assertEditable(kind, current, area.patch.editableIn);
        const prepared = await area.patch.prepare(current, request.body as Row, request as Request, deps);
        const next = revise(current, prepared.fields, deps.now());
        await deps.store.put(request.tenantId, kind, parseRecord(kind, next), { ...prepared, expected: current.version, replaces: current, ...companions(request.tenantId, current, next) });
        return answer(next);
      },
    }),
  ];

  if (area.remove) {
    const remove = area.remove;
    routes.push(
      defineRoute({
        ...base,
        method: 'DELETE',
        path: item,
        summary: `Delete a ${kind}`,
        params: IdParams,
        responses: { 204: { description: 'Deleted' }, ...errors(400, 404, 409, 412) },
        async operation(request, deps) {
          const current: StoredRecord = await load(deps, request as Request, kind);
          if (remove.editableIn) assertEditable(kind, current, remove.editableIn);
          await remove.check?.(current, request as Request, deps);
          await deps.store.remove(request.tenantId, kind, current.id, {
            expected: current.version,
            record: current,
            releases: remove.releases?.(current) ?? [],
            dropsReferences: remove.dropsReferences?.(current) ?? [],
            ...(remove.unreferenced ? { unreferenced: true } : {}),
          });
          return { status: 204 };
        },
      }),
    );
  }

  for (const action of area.lifecycle?.actions ?? []) {
    const statuses = area.lifecycle!.statuses;
    routes.push(
      defineRoute({
        ...base,
        method: 'POST',
        path: `${item}/${action.name}`,
        summary: action.summary,
        params: IdParams,
        ...(action.body ? { body: action.body } : {}),
        responses: { 200: { description: `The ${kind}, now ${action.to}`, schema: record }, ...errors(400, 404, 409, 412) },
        async operation(request, deps) {
          const current: StoredRecord = await load(deps, request as Request, kind);
          assertTransition(kind, statuses, current.status as string, action.to);
          const next = revise(current, { status: action.to, ...action.changes?.(request.body as Row) }, deps.now());
          await deps.store.put(request.tenantId, kind, parseRecord(kind, next), { expected: current.version, ...companions(request.tenantId, current, next) });
          return answer(next);
        },
      }),
    );
  }
  return routes;
}

/** Refuses changes to a record whose status no longer allows them. */
export function assertEditable(kind: string, current: StoredRecord, editable: readonly string[]): void {
  if (!editable.includes(current.status as string)) {
    throw conflict(`A ${current.status} ${kind} cannot be changed; only ${editable.join(' or ')} ones can`, { status: current.status, editable });
  }
}
