import * as z from 'zod';
import { checkCustomFieldValues, type ClientField, type CustomFieldValue } from '#domain/client-fields.ts';
import { clientStatuses } from '#domain/clients.ts';
import { hasCountryCode, toE164 } from '#domain/phone.ts';
import { Language, languages, Name, Notes } from '#domain/values.ts';
import type { CsvRow } from '#domain/imports/csv.ts';
import type { ColumnIndexes } from '#domain/imports/mapping.ts';

/**
 * One row of the file read as a client: the cells the mapping names, checked as the clients API
 * checks them, the phone in E.164 with the business's country. Consent is what the row says; where
 * it says nothing, email follows the import's choice and SMS stays off.
 */

export interface ImportedClient {
  readonly firstName: string;
  readonly lastName?: string;
  readonly email?: string;
  readonly phone?: string;
  readonly language?: Language;
  /** Only what a column said: undefined where the row's cell is empty or there is no column. */
  readonly emailConsent?: boolean;
  readonly smsConsent?: boolean;
  readonly notes?: string;
  readonly status?: (typeof clientStatuses)[number];
  readonly customFields: Readonly<Record<string, CustomFieldValue>>;
}

export type RowReading = { readonly ok: true; readonly client: ImportedClient } | { readonly ok: false; readonly reason: 'invalid'; readonly message: string };

export interface RowContext {
  readonly columns: ColumnIndexes;
  /** The business's country (settings' defaultCountry), for numbers written without a country code. */
  readonly defaultCountry: string | undefined;
  readonly fields: readonly ClientField[];
}

const yes = new Set(['yes', 'y', 'true', '1', 'x', 'si', 'sí', 'oui', 'o', 'ok']);
const no = new Set(['no', 'n', 'false', '0', 'non']);

/** A yes/no cell in any of the four languages; undefined when empty, an error text when neither. */
function consentOf(cell: string, column: string): boolean | string | undefined {
  const value = cell.toLowerCase();
  if (value === '') return undefined;
  if (yes.has(value)) return true;
  if (no.has(value)) return false;
  return `${column} "${cell}" is neither yes nor no`;
}

const Email = z.email().max(254);

/** A cell as the client field's type wants it: numbers and booleans from their text. */
function customValue(field: ClientField | undefined, cell: string): CustomFieldValue {
  if (field?.type === 'number') {
    const number = Number(cell.replace(',', '.'));
    return Number.isFinite(number) ? number : cell;
  }
  if (field?.type === 'boolean') {
    const consent = consentOf(cell, field.label);
    return typeof consent === 'boolean' ? consent : cell;
  }
  return cell;
}

export function readRow(row: CsvRow, context: RowContext): RowReading {
  const { columns } = context;
  const cell = (index: number | undefined): string => (index === undefined ? '' : (row.cells[index] ?? ''));
  const problems: string[] = [];
  const optional = (index: number | undefined): string | undefined => cell(index) || undefined;

  const firstName = Name.safeParse(cell(columns.firstName));
  if (!firstName.success) problems.push('firstName is empty');
  const lastName = optional(columns.lastName);
  if (lastName !== undefined && lastName.length > 200) problems.push('lastName is longer than 200 characters');

  const rawEmail = optional(columns.email)?.toLowerCase();
  if (rawEmail !== undefined && !Email.safeParse(rawEmail).success) problems.push(`email "${rawEmail}" is not an email address`);

  const rawPhone = optional(columns.phone);
  let phone: string | undefined;
  if (rawPhone !== undefined) {
    if (!hasCountryCode(rawPhone) && !context.defaultCountry) problems.push(`phone "${rawPhone}" has no country code and the business settings name no defaultCountry`);
    else {
      phone = toE164(rawPhone, context.defaultCountry);
      if (phone === undefined) problems.push(`phone "${rawPhone}" is not a valid phone number${hasCountryCode(rawPhone) ? '' : ` for ${context.defaultCountry}`}`);
    }
  }

  const rawLanguage = optional(columns.language)?.toLowerCase();
  const language = Language.safeParse(rawLanguage?.slice(0, 2));
  if (rawLanguage !== undefined && !language.success) problems.push(`language "${rawLanguage}" is not one of ${languages.join(', ')}`);

  const consent = { email: consentOf(cell(columns.emailConsent), 'emailConsent'), sms: consentOf(cell(columns.smsConsent), 'smsConsent') };
  for (const value of Object.values(consent)) if (typeof value === 'string') problems.push(value);

  const notes = optional(columns.notes);
  if (notes !== undefined && !Notes.safeParse(notes).success) problems.push('notes are longer than 5000 characters');

  const rawStatus = optional(columns.status)?.toLowerCase();
  const status = z.enum(clientStatuses).safeParse(rawStatus);
  if (rawStatus !== undefined && !status.success) problems.push(`status "${rawStatus}" is not one of ${clientStatuses.join(', ')}`);

  const byId = new Map(context.fields.map((field) => [field.id, field]));
  const customFields = Object.fromEntries(
    Object.entries(columns.customFields)
      .filter(([, index]) => cell(index) !== '')
      .map(([id, index]) => [id, customValue(byId.get(id), cell(index))]),
  );
  for (const issue of checkCustomFieldValues(customFields, context.fields)) problems.push(`${issue.path} ${issue.message}`);

  if (problems.length > 0 || !firstName.success) return { ok: false, reason: 'invalid', message: problems.join('; ') };
  return {
    ok: true,
    client: {
      firstName: firstName.data,
      ...(lastName === undefined ? {} : { lastName }),
      ...(rawEmail === undefined ? {} : { email: rawEmail }),
      ...(phone === undefined ? {} : { phone }),
      ...(rawLanguage === undefined || !language.success ? {} : { language: language.data }),
      ...(typeof consent.email === 'boolean' ? { emailConsent: consent.email } : {}),
      ...(typeof consent.sms === 'boolean' ? { smsConsent: consent.sms } : {}),
      ...(notes === undefined ? {} : { notes }),
      ...(rawStatus === undefined || !status.success ? {} : { status: status.data }),
      customFields,
    },
  };
}
