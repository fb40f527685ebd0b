import { Context, Liquid, toValue, toValueSync, type Template } from 'liquidjs';
import * as z from 'zod';
import { invalidInput, type FieldIssue } from '#domain/errors.ts';
import { RecordMeta } from '#domain/record.ts';
import { Language } from '#domain/values.ts';
import { channels, messageTypeNames, renderedLimits, templateLimits, type Channel, type MessageType } from '#domain/messages/message-types.ts';
import { allowedVariables, longestContext, sampleContext } from '#domain/messages/message-variables.ts';
import { defaultTemplate } from '#domain/messages/default-templates.ts';
import { smsInfo } from '#domain/messages/sms-encoding.ts';
import { escapeHtml } from '#domain/messages/html.ts';

/**
 * Message templates: Liquid text (`Hola {{ client.firstName }}`) checked before it is stored and
 * rendered when a message goes out. The engine is closed: no file system, no includes or layouts,
 * own properties of the data only, known filters only, bounded parse and render work, and output
 * bounded per channel (`renderedLimits`).
 */

export type TemplateSource = { subject?: string; text: string };

export interface RenderedMessage {
  readonly subject?: string;
  readonly text: string;
  /** For email: the text, HTML-escaped, in paragraphs, in a minimal inline-styled layout. */
  readonly html?: string;
}

const liquid = new Liquid({
  // An empty in-memory store: nothing can be read from the file system, even if a tag tried.
  templates: {},
  relativeReference: false,
  dynamicPartials: false,
  cache: false,
  ownPropertyOnly: true,
  strictFilters: true,
  strictVariables: false,
  parseLimit: 100_000,
  renderLimit: 500,
  memoryLimit: 1_000_000,
});
// Templates are self-contained: the tags that load other templates do not exist here.
for (const tag of ['include', 'render', 'layout', 'block']) delete liquid.tags[tag];

type Field = 'subject' | 'text';

/**
 * A message that renders longer than its channel allows (`renderedLimits`): a template that can
 * is refused when saved, and delivery records a message that does as failed with `too_long`.
 */
export class RenderedTooLong extends Error {
  override readonly name = 'RenderedTooLong';
  readonly field: Field;
  constructor(field: Field, message: string) {
    super(message);
    this.field = field;
  }
}

/** The most characters a field can have within its limit (an SMS: its segments all GSM-7, 153 each). */
const mostCharacters = (field: Field, channel: Channel): number =>
  field === 'subject' ? renderedLimits.subjectCharacters : channel === 'sms' ? renderedLimits.smsSegments * 153 : renderedLimits.emailTextBytes;

const limitOf = (field: Field, channel: Channel): string =>
  field === 'subject' ? `${renderedLimits.subjectCharacters} characters` : channel === 'sms' ? `${renderedLimits.smsSegments} segments` : `${renderedLimits.emailTextBytes} bytes`;

/**
 * Liquid's output as it is written, stopped once it passes `cap` characters: a loop cannot build a
 * huge string before the length is checked. Values are written as liquidjs's own emitter does.
 */
class CappedEmitter {
  buffer = '';
  full = false;
  private readonly cap: number;
  constructor(cap: number) {
    this.cap = cap;
  }
  write(html: unknown): void {
    this.buffer += asText(html);
    if (this.buffer.length > this.cap) {
      this.full = true;
      throw new Error('output cap reached');
    }
  }
}

function asText(value: unknown): string {
  const plain = toValue(value);
  if (typeof plain === 'string') return plain;
  if (plain === null || plain === undefined) return '';
  if (Array.isArray(plain)) return plain.map(asText).join('');
  return String(plain);
}

const utf8Bytes = new TextEncoder();

/** Why a rendered field is over its channel's limit, or undefined within it. */
function overLimit(field: Field, channel: Channel, text: string): string | undefined {
  if (field === 'subject') {
    const limit = renderedLimits.subjectCharacters;
    return text.length > limit ? `renders to ${text.length} characters; a subject may have at most ${limit}` : undefined;
  }
  if (channel === 'sms') {
    const { segments } = smsInfo(text);
    return segments > renderedLimits.smsSegments ? `renders to an SMS of ${segments} segments; an SMS may have at most ${renderedLimits.smsSegments}` : undefined;
  }
  const bytes = utf8Bytes.encode(text).length;
  return bytes > renderedLimits.emailTextBytes ? `renders to ${bytes} bytes of text; an email may have at most ${renderedLimits.emailTextBytes} (100 KB)` : undefined;
}

/**
 * One field rendered and held to its limit: throws `RenderedTooLong`, or liquidjs's own error when
 * the template fails (a parse or render limit). Whitespace at the ends does not count; nor, in a
 * subject, runs of it, which become one space. Twice the limit is let through the emitter for that.
 */
function renderField(field: Field, templates: Template[], variables: Record<string, unknown>, channel: Channel): string {
  const cap = 2 * mostCharacters(field, channel);
  const emitter = new CappedEmitter(cap);
  try {
    toValueSync(liquid.renderer.renderTemplates(templates, new Context(variables, liquid.options, { sync: true }, { liquid }), emitter));
  } catch (error) {
    if (emitter.full) throw new RenderedTooLong(field, `renders to more than ${cap} characters, over the limit of ${limitOf(field, channel)}`);
    throw error;
  }
  const text = field === 'subject' ? emitter.buffer.replace(/\s+/g, ' ').trim() : emitter.buffer.trim();
  const problem = overLimit(field, channel, text);
  if (problem) throw new RenderedTooLong(field, problem);
  return text;
}

// ---------------------------------------------------------------------------------------------
// Validation

/** liquidjs ends its messages with `, line:3, col:7`; we say where in words instead. */
function describeLiquidError(error: unknown, what: string): string {
  const raw = error instanceof Error ? error.message : String(error);
  const match = /^(.*?),? line:(\d+), col:(\d+)\s*$/s.exec(raw);
  if (match) return `${what} at line ${match[2]}, column ${match[3]}: ${match[1]!.trim()}`;
  return `${what}: ${raw}`;
}

/** Parsed templates by source: delivery renders the same few templates over and over. */
const parsedCache = new Map<string, Template[]>();
const parsedCacheSize = 500;

function parse(source: string): Template[] {
  const cached = parsedCache.get(source);
  if (cached) return cached;
  const parsed = liquid.parse(source);
  if (parsedCache.size >= parsedCacheSize) parsedCache.delete(parsedCache.keys().next().value!);
  parsedCache.set(source, parsed);
  return parsed;
}

function checkVariables(field: Field, templates: Template[], messageType: MessageType): FieldIssue[] {
  const allowed = allowedVariables(messageType);
  const allowedSet = new Set(allowed);
  const groups = new Set(allowed.map((path) => path.split('.')[0]!));
  const issues: FieldIssue[] = [];
  const reported = new Set<string>();
  const analysis = liquid.analyzeSync(templates, { partials: false });
  for (const variables of Object.values(analysis.globals)) {
    for (const variable of variables) {
      const name = variable.toString();
      if (reported.has(name)) continue;
      const where = `at line ${variable.location.row}, column ${variable.location.col}`;
      const segments = variable.segments;
      const dynamic = segments.some((segment) => typeof segment !== 'string');
      const path = segments.join('.');
      let message: string | undefined;
      if (dynamic) {
        message = `{{ ${name} }} ${where} looks a variable up by a computed name; write the variable's name, e.g. {{ client.firstName }}`;
      } else if (!allowedSet.has(path)) {
        message = groups.has(path)
          ? `{{ ${path} }} ${where} is a group, not a value; use one of ${allowed.filter((p) => p.startsWith(`${path}.`)).join(', ')}`
          : `unknown variable {{ ${path} }} ${where}; this message can use ${allowed.join(', ')}`;
      }
      if (message) {
        reported.add(name);
        issues.push({ path: field, message });
      }
    }
  }
  return issues;
}

function checkField(field: Field, source: string, messageType: MessageType, channel: Channel): FieldIssue[] {
  const limit = field === 'subject' ? templateLimits.subject : templateLimits.text[channel];
  if (source.trim() === '') return [{ path: field, message: 'must not be empty' }];
  if (source.length > limit) return [{ path: field, message: `must be at most ${limit} characters (it has ${source.length})` }];
  if (field === 'subject' && /[\r\n]/.test(source)) return [{ path: field, message: 'must be a single line' }];
  let templates: Template[];
  try {
    templates = parse(source);
  } catch (error) {
    return [{ path: field, message: describeLiquidError(error, 'Liquid syntax error') }];
  }
  const issues = checkVariables(field, templates, messageType);
  if (issues.length > 0) return issues;
  // A template can be valid Liquid and still fail when rendered (a loop over a huge range hits the
  // limits) or render too long; trying it on sample data, and on every value at its longest, now
  // means it does not fail later at delivery. Only a condition on what a value says could still
  // make a longer message than these two; delivery holds that one to the limit.
  for (const variables of [sampleContext(messageType, 'en'), longestContext(messageType)]) {
    try {
      renderField(field, templates, variables, channel);
    } catch (error) {
      return [{ path: field, message: error instanceof RenderedTooLong ? error.message : describeLiquidError(error, 'cannot be rendered') }];
    }
  }
  return [];
}

/**
 * What is wrong with a template for a message type and channel, each issue naming its field
 * (`subject` or `text`); empty when it is fine.
 */
export function validateTemplate(source: TemplateSource, messageType: MessageType, channel: Channel): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (channel === 'email') {
    if (source.subject === undefined) issues.push({ path: 'subject', message: 'an email needs a subject' });
    else issues.push(...checkField('subject', source.subject, messageType, channel));
  } else if (source.subject !== undefined) {
    issues.push({ path: 'subject', message: 'an SMS has no subject; remove it' });
  }
  if (typeof source.text !== 'string') issues.push({ path: 'text', message: 'is required' });
  else issues.push(...checkField('text', source.text, messageType, channel));
  return issues;
}

// ---------------------------------------------------------------------------------------------
// Rendering

/** A field of a message; a template that fails is a validation error naming the field. */
function renderMessageField(field: Field, source: string, variables: Record<string, unknown>, channel: Channel): string {
  try {
    return renderField(field, parse(source), variables, channel);
  } catch (error) {
    if (error instanceof RenderedTooLong) throw error;
    throw invalidInput([{ path: field, message: describeLiquidError(error, 'cannot be rendered') }], 'The template cannot be rendered');
  }
}

/**
 * The plain text as a small HTML document. Everything in the text is escaped, the template's own
 * words as well as the variables' values, so neither a client named `<script>` nor a tenant's
 * text can add markup; blank lines make paragraphs and single line breaks become `<br>`.
 */
export function textToHtml(text: string, subject?: string, language?: Language): string {
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n+/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '')
    .map((paragraph) => `<p style="margin:0 0 16px 0;">${escapeHtml(paragraph).replace(/\n/g, '<br>\n')}</p>`);
  return [
    '<!DOCTYPE html>',
    `<html${language ? ` lang="${language}"` : ''}>`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    subject === undefined ? '' : `<title>${escapeHtml(subject)}</title>`,
    '</head>',
    '<body style="margin:0;padding:0;background-color:#f4f4f5;">',
    '<div style="max-width:600px;margin:0 auto;padding:24px 16px;">',
    '<div style="background-color:#ffffff;border-radius:8px;padding:24px;font-family:-apple-system,BlinkMacSystemFont,\'Segoe UI\',Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5;color:#1f2937;">',
    ...paragraphs,
    '</div>',
    '</div>',
    '</body>',
    '</html>',
  ]
    .filter((line) => line !== '')
    .join('\n');
}

/**
 * The message for the given variables (from `messageVariables`). Missing values render empty.
 * Throws `RenderedTooLong` when it is over its channel's limits, and a validation error naming the
 * field if the template cannot be rendered.
 */
export function renderTemplate(
  source: TemplateSource,
  variables: Record<string, unknown>,
  channel: Channel,
  options: { readonly language?: Language; readonly footer?: string } = {},
): RenderedMessage {
  const text = renderMessageField('text', source.text, variables, channel);
  if (channel === 'sms') return { text };
  // A subject is one line, whatever the values contain.
  const subject = renderMessageField('subject', source.subject ?? '', variables, channel);
  // The footer is the system's (the preferences link), not the template's: after it, never rendered as Liquid.
  const body = options.footer ? `${text}\n\n${options.footer}` : text;
  return { subject, text: body, html: textToHtml(body, subject, options.language) };
}

// ---------------------------------------------------------------------------------------------
// Which template applies

/** The override in a stored template record, if it holds one. */
export function templateOverrideOf(record: Record<string, unknown> | undefined): TemplateOverride | undefined {
  const languages = record?.languages;
  return languages !== null && typeof languages === 'object' ? { languages: languages as TemplateOverride['languages'] } : undefined;
}

export interface TemplateOverride {
  readonly languages: Partial<Record<Language, TemplateSource>>;
}

export interface EffectiveTemplateInput {
  readonly messageType: MessageType;
  readonly channel: Channel;
  readonly language: Language;
  /** The tenant's own template for this message type and channel, per language. */
  readonly override?: TemplateOverride;
  /** The settings' custom text for this message and channel, for every language. */
  readonly customText?: string;
}

/**
 * The template to use: the tenant's override in the language, else the settings' custom text
 * (for email it replaces the text and keeps the default subject), else the default in the language.
 */
export function effectiveTemplate(input: EffectiveTemplateInput): TemplateSource {
  const own = input.override?.languages[input.language];
  if (own) return own;
  const fallback = defaultTemplate(input.messageType, input.channel, input.language);
  if (input.customText !== undefined && input.customText.trim() !== '') {
    return input.channel === 'email' ? { subject: fallback.subject!, text: input.customText } : { text: input.customText };
  }
  return fallback;
}
