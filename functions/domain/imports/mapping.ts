import * as z from 'zod';
import { invalidInput, type FieldIssue } from '#domain/errors.ts';
import { RecordId } from '#domain/values.ts';

/**
 * Which column of the file fills which client field: given by the business, or guessed from the
 * header in English, Spanish, French or Italian. Columns are named by their header text, as the
 * business sees them in its spreadsheet.
 */

export const importFields = ['firstName', 'lastName', 'email', 'phone', 'language', 'emailConsent', 'smsConsent', 'notes', 'status'] as const;
export type ImportField = (typeof importFields)[number];

const Column = z.string().trim().min(1).max(200).meta({ description: 'A column of the file, by its header text' });

export const ColumnMapping = z
  .strictObject({
    ...(Object.fromEntries(importFields.map((field) => [field, Column.optional()])) as Record<ImportField, z.ZodOptional<typeof Column>>),
    customFields: z.record(RecordId, Column).default({}).meta({ description: 'Columns by client field id' }),
  })
  .meta({
    id: 'ImportColumnMapping',
    description:
      'Which column fills which client field; a field left out is not imported. emailConsent and smsConsent read yes/no (sí, oui, non, x, 1, 0, true…); firstName is required.',
  });
export type ColumnMapping = z.output<typeof ColumnMapping>;

/**
 * Header words per field, compared without case, accents or punctuation. A bare "consent" column is
 * read as email consent only: SMS needs its own column naming SMS, since it is never assumed.
 */
const headerWords: Record<ImportField, readonly string[]> = {
  firstName: ['first name', 'firstname', 'given name', 'name', 'nombre', 'nombres', 'prenom', 'nome'],
  lastName: ['last name', 'lastname', 'surname', 'family name', 'apellido', 'apellidos', 'nom', 'nom de famille', 'cognome'],
  email: ['email', 'e mail', 'email address', 'mail', 'correo', 'correo electronico', 'courriel', 'adresse email', 'adresse e mail', 'adresse mail', 'posta elettronica', 'indirizzo email'],
  phone: ['phone', 'phone number', 'mobile', 'mobile phone', 'cell', 'telephone', 'telefono', 'movil', 'celular', 'portable', 'numero de telephone', 'cellulare', 'numero di telefono'],
  language: ['language', 'idioma', 'lengua', 'langue', 'lingua'],
  emailConsent: ['consent', 'email consent', 'marketing consent', 'consentimiento', 'consentimiento email', 'consentement', 'consentement email', 'consenso', 'consenso email'],
  smsConsent: ['sms consent', 'sms', 'consentimiento sms', 'consentement sms', 'consenso sms', 'sms opt in'],
  notes: ['notes', 'note', 'comments', 'notas', 'nota', 'comentarios', 'remarques', 'commentaires', 'commenti'],
  status: ['status', 'estado', 'statut', 'stato'],
};

const normalized = (header: string): string =>
  header
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

const fieldOfWord = new Map(importFields.flatMap((field) => headerWords[field].map((word) => [normalized(word), field] as const)));

/** The mapping the header suggests: each field to the first column named like it; unknown columns are left out. */
export function guessMapping(header: readonly string[]): ColumnMapping {
  const mapping: Partial<Record<ImportField, string>> = {};
  for (const column of header) {
    const field = fieldOfWord.get(normalized(column));
    if (field && mapping[field] === undefined) mapping[field] = column;
  }
  return { ...mapping, customFields: {} };
}

/** Where each mapped field is in a row: the column's index in the header. */
export type ColumnIndexes = Partial<Record<ImportField, number>> & { readonly customFields: Readonly<Record<string, number>> };

/** The columns of a mapping as indexes of the header; a 400 naming every column the header lacks, or no firstName. */
export function columnIndexes(mapping: ColumnMapping, header: readonly string[], path = 'mapping'): ColumnIndexes {
  const issues: FieldIssue[] = [];
  const indexOf = (column: string, at: string): number => {
    const index = header.indexOf(column);
    if (index < 0) issues.push({ path: at, message: `names column ${JSON.stringify(column)}, which the file's header does not have (it has ${header.map((name) => JSON.stringify(name)).join(', ')})` });
    return index;
  };
  const indexes: Partial<Record<ImportField, number>> = {};
  for (const field of importFields) {
    const column = mapping[field];
    if (column !== undefined) indexes[field] = indexOf(column, `${path}.${field}`);
  }
  if (mapping.firstName === undefined) issues.push({ path: `${path}.firstName`, message: 'is required: every client needs a first name' });
  const customFields = Object.fromEntries(Object.entries(mapping.customFields).map(([id, column]) => [id, indexOf(column, `${path}.customFields.${id}`)]));
  if (issues.length) throw invalidInput(issues, 'The column mapping does not fit the file');
  return { ...indexes, customFields };
}
