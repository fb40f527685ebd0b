import * as z from 'zod';

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;

/** `data` over `base`, objects merged key by key; keys that could reach a prototype are ignored. */
export function deepMerge(base: Record<string, unknown>, data: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(data)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    const current = merged[key];
    merged[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return merged;
}

/**
 * The schema of a stored document that has a whole default document (what a tenant that never
 * saved it gets): the stored fields are laid over the defaults at every depth before parsing, so a
 * document saved before a field existed, however deep, reads with that field's default. The
 * defaults stay in one place; they must hold only fields that are always present, or a field
 * cleared on purpose would come back.
 */
export const withStoredDefaults = <S extends z.ZodType>(schema: S, defaults: Record<string, unknown>) =>
  z.preprocess((stored) => (isPlainObject(stored) ? deepMerge(defaults, stored) : stored), schema);
