import * as z from 'zod';
import { RecordMeta } from '#domain/record.ts';
import type { FieldIssue } from '#domain/errors.ts';

export const publicForms = ['contact', 'message', 'document', 'booking'] as const;
export const fieldTypes = ['text', 'number', 'date', 'boolean', 'select'] as const;

const ClientFieldFields = z.strictObject({
  label: z.string().trim().min(1).max(100),
  type: z.enum(fieldTypes),
  /** The choices of a `select` field. */
  options: z.array(z.string().trim().min(1).max(100)).min(1).max(100).optional(),
  /** Which public forms collect this field. */
  forms: z.array(z.enum(publicForms)).max(publicForms.length),
});

export const ClientFieldInput = ClientFieldFields.extend({ forms: ClientFieldFields.shape.forms.default([]) }).refine(
  (field) => (field.type === 'select') === (field.options !== undefined),
  { message: 'options are required for a select field and only allowed there', path: ['options'] },
);
export const ClientFieldPatch = ClientFieldFields.partial();
export const ClientField = ClientFieldFields.extend(RecordMeta.shape);
export type ClientField = z.infer<typeof ClientField>;

export const clientFieldKind = 'clientField';

export const CustomFieldValue = z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]);
export type CustomFieldValue = z.infer<typeof CustomFieldValue>;

export type PublicForm = (typeof publicForms)[number];

/**
 * Checks custom field values against the tenant's definitions; null clears a value. Given a public
 * form, only the fields that form collects are known: a person filling it in sets nothing else.
 */
export function checkCustomFieldValues(values: Readonly<Record<string, CustomFieldValue>>, fields: readonly ClientField[], form?: PublicForm): FieldIssue[] {
  const byId = new Map(fields.filter((field) => form === undefined || field.forms.includes(form)).map((field) => [field.id, field]));
  return Object.entries(values).flatMap(([id, value]): FieldIssue[] => {
    const path = `customFields.${id}`;
    const field = byId.get(id);
    if (!field) return [{ path, message: form === undefined ? 'is not a defined client field' : `is not a field of the ${form} form` }];
    if (value === null) return [];
    const problem = valueProblem(field, value);
    return problem ? [{ path, message: problem }] : [];
  });
}

function valueProblem(field: ClientField, value: string | number | boolean): string | undefined {
  switch (field.type) {
    case 'text':
      return typeof value === 'string' ? undefined : `must be text for field "${field.label}"`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : `must be a number for field "${field.label}"`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `must be true or false for field "${field.label}"`;
    case 'date':
      return typeof value === 'string' && z.iso.date().safeParse(value).success ? undefined : `must be a date as YYYY-MM-DD for field "${field.label}"`;
    case 'select':
      return typeof value === 'string' && field.options?.includes(value) ? undefined : `must be one of ${field.options?.join(', ')} for field "${field.label}"`;
  }
}

/** Applies a patch of values: null removes a value, anything else sets it. */
export function mergeCustomFieldValues(
  current: Readonly<Record<string, CustomFieldValue>>,
  patch: Readonly<Record<string, CustomFieldValue>>,
): Record<string, CustomFieldValue> {
  const merged: Record<string, CustomFieldValue> = { ...current, ...patch };
  for (const [id, value] of Object.entries(patch)) if (value === null) delete merged[id];
  return merged;
}
