import { parse } from 'csv-parse/sync';
import { DomainError } from '#domain/errors.ts';

/**
 * Reading the files spreadsheets export: the bytes decoded (UTF-8 with or without a BOM, else
 * Windows-1252, what Spanish, French and Italian Excel write), the delimiter detected (comma or
 * semicolon, the latter where the decimal separator is a comma), and the rows parsed by csv-parse,
 * each with the line it starts on in the file, so a report can point at it.
 */

export const encodings = ['utf-8', 'windows-1252'] as const;
export type Encoding = (typeof encodings)[number];
export const delimiters = [',', ';'] as const;
export type Delimiter = (typeof delimiters)[number];

export interface Decoded {
  readonly text: string;
  readonly encoding: Encoding;
  readonly bom: boolean;
}

const utf8Bom = [0xef, 0xbb, 0xbf];

/**
 * UTF-8 when the bytes are valid UTF-8 (a BOM says so too, and is dropped); otherwise Windows-1252,
 * a superset of Latin-1's printable characters, which decodes any byte. A Latin-1 file with accents
 * is never valid UTF-8 (an accented letter is one byte above 0x7F, never a valid sequence on its own).
 */
export function decodeCsv(bytes: Uint8Array): Decoded {
  const bom = utf8Bom.every((byte, i) => bytes[i] === byte);
  const body = bom ? bytes.subarray(utf8Bom.length) : bytes;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body), encoding: 'utf-8', bom };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(body), encoding: 'windows-1252', bom: false };
  }
}

/** The delimiter the header line uses most, counted outside quotes; a comma when it has neither. */
export function detectDelimiter(text: string): Delimiter {
  const counts = { ',': 0, ';': 0 };
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && (char === ',' || char === ';')) counts[char]++;
  }
  return counts[';'] > counts[','] ? ';' : ',';
}

export interface CsvRow {
  /** The file's line the row starts on, 1 for the header. */
  readonly line: number;
  readonly cells: readonly string[];
}

export interface ParsedCsv {
  readonly delimiter: Delimiter;
  readonly header: readonly string[];
  /** The rows after the header, blank ones left out. */
  readonly rows: readonly CsvRow[];
}

const lineBreaks = (value: string): number => value.split('\n').length - 1;

/**
 * Parses decoded text; a file csv-parse cannot read (an unclosed quote) fails with
 * `unreadable_file` naming the line. Line endings are made `\n` first, also inside quoted fields,
 * so every line break counts once (csv-parse counts a quoted CRLF as two lines).
 */
export function parseCsv(text: string, delimiter: Delimiter = detectDelimiter(text)): ParsedCsv {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text.replace(/\r\n?/g, '\n'), { delimiter, info: true, relax_column_count: true, relax_quotes: true }) as unknown as typeof records;
  } catch (error) {
    throw new DomainError('unreadable_file', `The file is not readable as CSV: ${(error as Error).message}`);
  }
  const rows = records
    .map(({ record, info }) => ({ line: info.lines - record.reduce((sum, cell) => sum + lineBreaks(cell), 0), cells: record.map((cell) => cell.trim()) }))
    .filter((row) => row.cells.some((cell) => cell !== ''));
  const [header, ...body] = rows;
  if (!header) throw new DomainError('unreadable_file', 'The file is empty: it needs a header line naming its columns, then one line per client');
  return { delimiter, header: header.cells, rows: body };
}
