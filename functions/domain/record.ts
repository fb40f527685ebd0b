import * as z from 'zod';

/** The fields every stored record carries. */
export const RecordMeta = z.object({
  id: z.string().meta({ readOnly: true, description: 'Set by the server on create' }),
  version: z.number().int().min(1).meta({ readOnly: true, description: 'Set by the server, 1 on create and one more on every change; the ETag' }),
  createdAt: z.iso.datetime().meta({ readOnly: true }),
  updatedAt: z.iso.datetime().meta({ readOnly: true }),
});
export type RecordMeta = z.infer<typeof RecordMeta>;

export function newRecord<T extends object>(fields: T, id: string, now: Date): T & RecordMeta {
  const at = now.toISOString();
  return { ...fields, id, version: 1, createdAt: at, updatedAt: at };
}

/** The next version of a record: changes applied, version bumped, updatedAt moved to now. */
export function revise<T extends RecordMeta>(current: T, changes: Partial<Omit<T, keyof RecordMeta>>, now: Date): T {
  return { ...current, ...changes, version: current.version + 1, updatedAt: now.toISOString() };
}

/** The next version of a record whose fields are all replaced (a PUT): what is not given is gone. */
export function replace<T extends object>(current: Pick<RecordMeta, 'id' | 'version' | 'createdAt'>, fields: T, now: Date): T & RecordMeta {
  return { ...fields, id: current.id, version: current.version + 1, createdAt: current.createdAt, updatedAt: now.toISOString() };
}
