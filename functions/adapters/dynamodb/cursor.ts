import { badCursor } from '#domain/errors.ts';
import { keyAttributes } from '#adapters/dynamodb/item-keys.ts';

/** Opaque page cursors: the last evaluated key, checked on the way back in so a cursor cannot leave its tenant's partition. */
export const encodeCursor = (key: Record<string, unknown>): string => Buffer.from(JSON.stringify(key)).toString('base64url');

export function decodeCursor(cursor: string, tenantPartition: string, partitionAttribute: string, partitionValue: string): Record<string, string> {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  if (typeof key !== 'object' || key === null || Array.isArray(key)) throw badCursor();
  const entries = Object.entries(key);
  const known: readonly string[] = keyAttributes;
  if (!entries.every(([name, value]) => known.includes(name) && typeof value === 'string')) throw badCursor();
  const record = key as Record<string, string>;
  if (record[partitionAttribute] !== partitionValue || record.pk !== tenantPartition || typeof record.sk !== 'string') throw badCursor();
  return record;
}
