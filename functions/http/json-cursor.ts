import type { z } from 'zod';
import { badCursor } from '#domain/errors.ts';

/**
 * Opaque cursors for lists that need more than the store's position to go on: the instant a
 * booking tab was split at, the last entry of a merged feed. A cursor that is not one of ours is a 400.
 */
export const encodeJsonCursor = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export function decodeJsonCursor<T extends z.ZodType>(schema: T, cursor: string): z.infer<T> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw badCursor();
  return parsed.data;
}
