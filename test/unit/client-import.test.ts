/**
 * The pure parts of a client import: decoding what spreadsheets export, detecting the delimiter,
 * guessing the mapping from headers in four languages, reading one row as a client, the report
 * file, the clients' ids, and that imported clients never reach the rule evaluator.
 */
import { describe, expect, it } from 'vitest';
import { decodeCsv, detectDelimiter, parseCsv } from '#domain/imports/csv.ts';
import { columnIndexes, guessMapping } from '#domain/imports/mapping.ts';
import { readRow, type RowContext } from '#domain/imports/rows.ts';
import { checkpointed, newClientFields, queuedImport, reportCsv, updatedClientFields } from '#domain/imports/client-import.ts';
import { fileDigestOf, importedClientIdOf, InvalidIdentity, parseImportedClientId } from '#domain/identities.ts';
import { evaluatorFilterPatterns } from '#domain/messages/stream-filter.ts';
import { compileFilter } from '#local/event-filter.ts';
import { DomainError } from '#domain/errors.ts';
import type { ClientField } from '#domain/client-fields.ts';
import type { Client } from '#domain/clients.ts';

const latin1 = (text: string): Uint8Array => Uint8Array.from([...text].map((char) => char.charCodeAt(0)));

describe('decoding', () => {
  it('reads UTF-8 with a BOM, dropping it', () => {
    const decoded = decodeCsv(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('Prénom,Nom\n')]));
    expect(decoded).toEqual({ text: 'Prénom,Nom\n', encoding: 'utf-8', bom: true });
  });

  it('reads UTF-8 without a BOM', () => {
    expect(decodeCsv(new TextEncoder().encode('Nombre;Teléfono\n'))).toEqual({ text: 'Nombre;Teléfono\n', encoding: 'utf-8', bom: false });
  });

  it('reads bytes that are not UTF-8 as Windows-1252, where 0x80 is the euro sign', () => {
    const decoded = decodeCsv(latin1('Nombre;Teléfono;Año\nMaría;\x80;ñ\n'));
    expect(decoded.encoding).toBe('windows-1252');
    expect(decoded.text).toBe('Nombre;Teléfono;Año\nMaría;€;ñ\n');
  });
});

describe('delimiter detection', () => {
  it('takes the one the header uses most, outside quotes', () => {
    expect(detectDelimiter('Nombre;Apellidos;Correo\nAna;García;a@b.es')).toBe(';');
    expect(detectDelimiter('name,email\n')).toBe(',');
    expect(detectDelimiter('"Last, First";Email;Phone\n')).toBe(';');
    expect(detectDelimiter('"a;b;c",d\n')).toBe(',');
    expect(detectDelimiter('single\n')).toBe(',');
  });
});

describe('parsing', () => {
  it('keeps quoted line breaks in the cell, numbers rows by the line they start on and skips blank lines', () => {
    const parsed = parseCsv('name,notes\r\nAna,"first\r\nsecond"\r\n\r\nLuis,plain\r\n');
    expect(parsed.header).toEqual(['name', 'notes']);
    expect(parsed.rows).toEqual([
      { line: 2, cells: ['Ana', 'first\nsecond'] },
      { line: 5, cells: ['Luis', 'plain'] },
    ]);
  });

  it('refuses an empty file and an unclosed quote with unreadable_file', () => {
    expect(() => parseCsv('')).toThrow(DomainError);
    try {
      parseCsv('a,b\n"open,x\n');
      expect.unreachable();
    } catch (error) {
      expect((error as DomainError).code).toBe('unreadable_file');
    }
  });
});

describe('header guessing', () => {
  it('guesses Spanish, French, Italian and English headers, ignoring case and accents', () => {
    expect(guessMapping(['Nombre', 'Apellidos', 'Correo electrónico', 'Teléfono', 'Notas'])).toEqual({
      firstName: 'Nombre',
      lastName: 'Apellidos',
      email: 'Correo electrónico',
      phone: 'Teléfono',
      notes: 'Notas',
      customFields: {},
    });
    expect(guessMapping(['Prénom', 'Nom', 'Courriel', 'Portable', 'Consentement SMS'])).toMatchObject({
      firstName: 'Prénom',
      lastName: 'Nom',
      email: 'Courriel',
      phone: 'Portable',
      smsConsent: 'Consentement SMS',
    });
    expect(guessMapping(['Nome', 'Cognome', 'E-mail', 'Cellulare', 'Lingua'])).toMatchObject({ firstName: 'Nome', lastName: 'Cognome', email: 'E-mail', phone: 'Cellulare', language: 'Lingua' });
    expect(guessMapping(['First Name', 'LAST NAME', 'Email Address', 'Mobile', 'Consent', 'Favourite colour'])).toEqual({
      firstName: 'First Name',
      lastName: 'LAST NAME',
      email: 'Email Address',
      phone: 'Mobile',
      emailConsent: 'Consent',
      customFields: {},
    });
  });

  it('reads a bare consent column as email consent only: SMS needs its own', () => {
    expect(guessMapping(['Nombre', 'Consentimiento'])).toEqual({ firstName: 'Nombre', emailConsent: 'Consentimiento', customFields: {} });
  });

  it('refuses a mapping naming columns the header lacks, or no first name, naming each', () => {
    expect(() => columnIndexes({ firstName: 'Nombre', email: 'Mail', customFields: { f1: 'Color' } }, ['Nombre', 'Correo'])).toThrow(
      expect.objectContaining({ code: 'validation_failed', details: { issues: [expect.objectContaining({ path: 'mapping.email' }), expect.objectContaining({ path: 'mapping.customFields.f1' })] } }),
    );
    expect(() => columnIndexes({ email: 'Correo', customFields: {} }, ['Correo'])).toThrow(expect.objectContaining({ details: { issues: [expect.objectContaining({ path: 'mapping.firstName' })] } }));
  });
});

const at = '2026-03-01T09:00:00.000Z';
const colour: ClientField = { id: 'colour', label: 'Colour', type: 'select', options: ['red', 'blue'], forms: [], version: 1, createdAt: at, updatedAt: at };
const visits: ClientField = { id: 'visits', label: 'Visits', type: 'number', forms: [], version: 1, createdAt: at, updatedAt: at };
const header = ['Nombre', 'Apellidos', 'Correo', 'Teléfono', 'Idioma', 'Consentimiento', 'SMS', 'Estado', 'Color', 'Visitas'];
const context: RowContext = {
  columns: columnIndexes(
    { firstName: 'Nombre', lastName: 'Apellidos', email: 'Correo', phone: 'Teléfono', language: 'Idioma', emailConsent: 'Consentimiento', smsConsent: 'SMS', status: 'Estado', customFields: { colour: 'Color', visits: 'Visitas' } },
    header,
  ),
  defaultCountry: 'ES',
  fields: [colour, visits],
};
const row = (cells: string[]) => readRow({ line: 7, cells }, context);

describe('reading a row', () => {
  it('normalizes the phone with the business country, the email to lower case, and reads yes/no in four languages', () => {
    expect(row(['María', 'Pérez', 'Maria@Example.ES', '612 345 678', 'ES', 'sí', 'no', 'lead', 'red', '3,5'])).toEqual({
      ok: true,
      client: {
        firstName: 'María',
        lastName: 'Pérez',
        email: 'maria@example.es',
        phone: '+34612345678',
        language: 'es',
        emailConsent: true,
        smsConsent: false,
        status: 'lead',
        customFields: { colour: 'red', visits: 3.5 },
      },
    });
  });

  it('leaves consent unsaid where the cell is empty, and an empty optional cell out', () => {
    expect(row(['Ana', '', '', '+33 6 12 34 56 78', '', '', '', '', '', ''])).toEqual({ ok: true, client: { firstName: 'Ana', phone: '+33612345678', customFields: {} } });
  });

  it('names every bad cell of a row', () => {
    const reading = row(['', '', 'not-an-email', '123', 'de', 'maybe', '', 'vip', 'green', 'many']);
    expect(reading.ok).toBe(false);
    if (reading.ok) return;
    expect(reading.message.split('; ')).toEqual([
      'firstName is empty',
      'email "not-an-email" is not an email address',
      'phone "123" is not a valid phone number for ES',
      'language "de" is not one of en, es, fr, it',
      'emailConsent "maybe" is neither yes nor no',
      'status "vip" is not one of lead, active, archived',
      'customFields.colour must be one of red, blue for field "Colour"',
      'customFields.visits must be a number for field "Visits"',
    ]);
  });

  it('refuses a number without a country code when the business has no country', () => {
    const reading = readRow({ line: 2, cells: ['Ana', '', '', '612345678'] }, { ...context, defaultCountry: undefined });
    expect(reading).toEqual({ ok: false, reason: 'invalid', message: 'phone "612345678" has no country code and the business settings name no defaultCountry' });
  });
});

describe('consent and merging', () => {
  it('gives a new client email consent from the import setting and never SMS unless the row says so', () => {
    expect(newClientFields({ firstName: 'Ana', customFields: {} }, { emailConsent: false }).consent).toEqual({ email: false, sms: false });
    expect(newClientFields({ firstName: 'Ana', customFields: {} }, { emailConsent: true }).consent).toEqual({ email: true, sms: false });
    expect(newClientFields({ firstName: 'Ana', emailConsent: false, smsConsent: true, customFields: {} }, { emailConsent: true }).consent).toEqual({ email: false, sms: true });
  });

  it('updates an existing client with what the row has and keeps consent the row does not state', () => {
    const current: Client = { id: 'c1', version: 2, createdAt: at, updatedAt: at, firstName: 'Ana', lastName: 'Old', email: 'a@b.es', consent: { email: true, sms: true }, status: 'active', customFields: { visits: 1 } };
    expect(updatedClientFields(current, { firstName: 'Ana', lastName: 'New', customFields: { colour: 'red' } })).toEqual({
      ...current,
      lastName: 'New',
      customFields: { visits: 1, colour: 'red' },
    });
  });
});

describe('the report and the progress', () => {
  it('counts outcomes, keeps report rows in line order, and quotes cells a spreadsheet would misread', () => {
    const job = queuedImport(
      { size: 10, encoding: 'utf-8', delimiter: ',', mapping: { firstName: 'n', customFields: {} }, onMatch: 'skip', emailConsent: false, totalRows: 3 },
      { tenantId: 't', id: 'i1', now: new Date(at) },
    );
    const rows = [2, 3, 4].map((line) => ({ line, cells: [] }));
    const next = checkpointed(job, rows, [{ outcome: 'created' }, { outcome: 'failed', reason: 'invalid', message: 'email "=1+2" is bad' }, { outcome: 'skipped', reason: 'duplicate', message: 'same as line 2' }], new Date(at), 'report.csv');
    expect(next).toMatchObject({ status: 'completed', nextRow: 3, counts: { read: 3, created: 1, updated: 0, skipped: 1, failed: 1 }, reportKey: 'report.csv', version: 2 });
    expect(reportCsv([...next.problems].reverse())).toBe(
      '\uFEFFline,outcome,reason,message\r\n3,failed,invalid,"email ""=1+2"" is bad"\r\n4,skipped,duplicate,same as line 2\r\n',
    );
    expect(reportCsv([{ line: 9, outcome: 'failed', reason: 'invalid', message: '=HYPERLINK("x")' }])).toContain(`9,failed,invalid,"'=HYPERLINK(""x"")"`);
  });
});

describe('imported client ids', () => {
  it('are the same for the same file and line, and parse back', () => {
    const digest = fileDigestOf(new TextEncoder().encode('a,b\n'));
    const id = importedClientIdOf({ digest, line: 12 });
    expect(id).toMatch(/^imp-[0-9a-f]{20}-12$/);
    expect(parseImportedClientId(id)).toEqual({ digest, line: 12 });
    expect(parseImportedClientId(`imp-${digest}-012`)).toBeUndefined();
    expect(parseImportedClientId('01JQ6ZA1B2C3D4E5F6G7H8J9KA')).toBeUndefined();
    expect(() => importedClientIdOf({ digest: 'xyz', line: 1 })).toThrow(InvalidIdentity);
  });
});

describe('imported clients and the rule evaluator', () => {
  it('the stream filter lets no client and no import record through, so an import fires no rule', () => {
    const passes = compileFilter(evaluatorFilterPatterns);
    for (const kind of ['client', 'clientImport', 'importChunk']) {
      expect(passes({ eventName: 'INSERT', dynamodb: { NewImage: { kind: { S: kind } } } }), kind).toBe(false);
    }
    expect(passes({ eventName: 'INSERT', dynamodb: { NewImage: { kind: { S: 'booking' } } } })).toBe(true);
  });
});
