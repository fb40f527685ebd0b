import * as z from 'zod';
import { badCursor, invalidInput, versionConflict, type FieldIssue } from '#domain/errors.ts';
import { newRecord, revise } from '#domain/record.ts';
import type { StoredRecord } from '#domain/record-store.ts';
import { Language, languages } from '#domain/values.ts';
import { deepMerge } from '#domain/stored-defaults.ts';
import { channels, messageTypeNames, messageTypes, renderedLimits, type Channel, type MessageType } from '#domain/messages/message-types.ts';
import { entityOf, sampleContext, variableDefinitions } from '#domain/messages/message-variables.ts';
import { smsInfo } from '#domain/messages/sms-encoding.ts';
import { hasScreen, renderScreenTemplate, screenTemplate } from '#domain/messages/screen-text.ts';
import { automatedMessagesId, automatedMessagesKind, defaultAutomatedMessages } from '#domain/messages/rules.ts';
import { loadSingleton } from '#http/singleton-routes.ts';
import { requirePaidPlan } from '#domain/plans.ts';
import { tenantPlan } from '#api/plans.ts';
import { effectiveTemplate, RenderedTooLong, renderTemplate, templateOverrideOf, validateTemplate, type TemplateOverride, type TemplateSource } from '#domain/messages/templates.ts';
import { templateId, templateKind } from '#domain/messages/template-record.ts';
import type { AppDeps } from '#http/deps.ts';
import { httpHandler } from '#http/http-handler.ts';
import { ErrorResponse, pageFields, pageOf } from '#http/record-routes.ts';
import { decodeJsonCursor, encodeJsonCursor } from '#http/json-cursor.ts';
import { etag } from '#http/request.ts';
import { defineRoute } from '#http/route.ts';
import { apiDeps } from '#wiring/api.ts';

/**
 * The templates area: every message type and channel has default texts in each language; a tenant
 * may replace them per language (one record per message type and channel), preview any template
 * with sample data, and go back to the defaults.
 */

const tag = 'Templates';
/** There are at most (message types × channels) template records, so one page holds them all. */
const maxTemplateRecords = 100;

const MessageTypeName = z.enum(messageTypeNames).meta({ description: 'The message type, e.g. booking_confirmed' });
const ChannelName = z.enum(channels);

const renderedLimitsText = `rendered with the sample data and with every value at its longest, an SMS at most ${renderedLimits.smsSegments} segments and an email's text at most ${renderedLimits.emailTextBytes} bytes`;

// The schema bounds sizes loosely; validateTemplate applies the channel's own limits with clear messages.
const Source = z
  .strictObject({
    subject: z.string().max(1000).optional().meta({ description: `Email only: the subject line (Liquid); rendered, at most ${renderedLimits.subjectCharacters} characters` }),
    text: z.string().max(20_000).meta({ description: `The message text (Liquid), e.g. Hola {{ client.firstName }}; ${renderedLimitsText}` }),
  })
  .meta({ id: 'TemplateSource' });

const languageEntries = <T extends z.ZodType>(schema: T) => Object.fromEntries(languages.map((language) => [language, schema])) as Record<Language, T>;

const TemplateInput = z.strictObject({
  languages: z
    .strictObject(languageEntries(Source.optional()))
    .refine((given) => Object.values(given).some((source) => source !== undefined), { message: 'must give the template in at least one language' })
    .meta({ description: 'The tenant’s template per language; languages left out use the default' }),
});

const TemplateParams = z.strictObject({ messageType: MessageTypeName, channel: ChannelName });

const LanguageTemplate = z.object({
  subject: z.string().optional(),
  text: z.string(),
  origin: z.enum(['default', 'override']).meta({ description: 'Whether this is the default text or the tenant’s own' }),
});

const MessageTemplate = z
  .object({
    messageType: MessageTypeName,
    channel: ChannelName,
    entity: z.string().meta({ description: 'What the message is about: booking, invoice, estimate, order, lead, message (an auto-reply answers it) or client (sent from the card)' }),
    description: z.string(),
    marketing: z.boolean().meta({ description: 'Not strictly transactional: its emails carry List-Unsubscribe (RFC 8058), and a client who unsubscribed from it (or from all marketing email) does not get it' }),
    version: z.number().int().min(0).meta({ description: 'The override’s version; 0 while only defaults apply' }),
    updatedAt: z.string().optional(),
    variables: z.array(z.object({ path: z.string(), description: z.string() })).meta({ description: 'The variables this template may use' }),
    languages: z.object(languageEntries(LanguageTemplate)),
  })
  .meta({ id: 'MessageTemplate' });

/** A variable's or a group's name, as a template writes it (`client`, `firstName`). */
const VariableName = z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,39}$/, 'must be a variable name: letters and digits, at most 40');

const PreviewInput = z.strictObject({
  messageType: MessageTypeName,
  channel: ChannelName,
  language: Language,
  template: Source.optional().meta({ description: 'The template to try; without it, the one in use (the tenant’s, else the default)' }),
  // The variables are groups of plain values, so that is all a preview takes: two levels, short values.
  data: z
    .record(VariableName, z.record(VariableName, z.union([z.string().max(2000), z.number(), z.boolean()])))
    .optional()
    .meta({ description: 'Values merged over the sample data, by group and name, e.g. { "client": { "firstName": "Ana" } }; each a string of at most 2000 characters, a number or a boolean' }),
});

const Preview = z
  .object({
    subject: z.string().optional(),
    text: z.string(),
    html: z.string().optional(),
    sms: z
      .object({ encoding: z.enum(['GSM-7', 'UCS-2']), characters: z.number().int(), segments: z.number().int() })
      .optional()
      .meta({ description: 'For SMS: its encoding, length as the network counts it, and the segments it is billed as' }),
    screenText: z
      .string()
      .optional()
      .meta({ description: 'For the messages answering a booking request (booking_confirmation, booking_pending): the booking widget’s confirmation screen in this language, the settings page’s screenText or the default, with the same data' }),
  })
  .meta({ id: 'TemplatePreview' });

const TemplateCursor = z.strictObject({ after: z.string().min(1) });

const errors = {
  400: { description: 'Invalid request; details.issues names each bad field', schema: ErrorResponse },
  412: { description: 'If-Match names an older version', schema: ErrorResponse },
  428: { description: 'If-Match is required', schema: ErrorResponse },
};

// ---------------------------------------------------------------------------------------------

/** The confirmation screen as the settings page has it now, rendered with the preview's data. */
async function previewScreen(deps: AppDeps, tenantId: string, messageType: MessageType, language: Language, variables: Record<string, unknown>): Promise<string> {
  const page = await loadSingleton({ kind: automatedMessagesKind, id: automatedMessagesId, defaults: defaultAutomatedMessages }, deps, tenantId);
  return renderScreenTemplate(screenTemplate(page, messageType, language), variables);
}

function view(messageType: MessageType, channel: Channel, stored: StoredRecord | undefined) {
  const override = templateOverrideOf(stored);
  return {
    messageType,
    channel,
    entity: entityOf(messageType),
    description: messageTypes[messageType].description,
    marketing: messageTypes[messageType].marketing === true,
    version: stored?.version ?? 0,
    ...(stored ? { updatedAt: stored.updatedAt } : {}),
    variables: variableDefinitions(messageType),
    languages: Object.fromEntries(
      languages.map((language) => {
        const source = effectiveTemplate({ messageType, channel, language, ...(override ? { override } : {}) });
        const origin = override?.languages[language] ? 'override' : 'default';
        return [language, { ...(source.subject === undefined ? {} : { subject: source.subject }), text: source.text, origin }];
      }),
    ),
  };
}

const loadOverride = (deps: AppDeps, tenantId: string, messageType: MessageType, channel: Channel) =>
  deps.store.get(tenantId, templateKind, templateId(messageType, channel));

const prefixed = (prefix: string, issues: readonly FieldIssue[]): FieldIssue[] => issues.map((issue) => ({ path: `${prefix}.${issue.path}`, message: issue.message }));

type Params = { messageType: MessageType; channel: Channel };

export const routes = [
  defineRoute({
    method: 'GET',
    path: '/templates',
    tag,
    auth: 'tenant',
    summary: 'List the templates of every message type and channel, per language, with whether each is the default or the business’s own, a page at a time',
    query: z.strictObject(pageFields),
    responses: { 200: { description: 'A page of message type × channel, in message type order, email before SMS', schema: pageOf(MessageTemplate) }, 400: errors[400] },
    async operation(request, deps) {
      const { limit, cursor } = request.query;
      // Every message type × channel, in a fixed order; a cursor names the last one a page gave.
      const all = messageTypeNames.flatMap((messageType) => channels.map((channel) => ({ messageType, channel, id: templateId(messageType, channel) })));
      const start = cursor === undefined ? 0 : all.findIndex((entry) => entry.id === decodeJsonCursor(TemplateCursor, cursor).after) + 1;
      if (start === 0 && cursor !== undefined) throw badCursor();
      const slice = all.slice(start, start + limit);
      const page = await deps.store.list(request.tenantId, templateKind, { order: { by: 'created' }, limit: maxTemplateRecords });
      const stored = new Map(page.items.map((record) => [record.id, record]));
      const items = slice.map(({ messageType, channel, id }) => view(messageType, channel, stored.get(id)));
      const last = slice.at(-1);
      return { status: 200, body: { items, nextCursor: last && start + limit < all.length ? encodeJsonCursor({ after: last.id }) : null } };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/templates/{messageType}/{channel}',
    tag,
    auth: 'tenant',
    summary: 'Get the template of one message type and channel; ETag is the override’s version (0 with only defaults)',
    params: TemplateParams,
    responses: { 200: { description: 'The template per language', schema: MessageTemplate }, 400: errors[400] },
    async operation(request, deps) {
      const { messageType, channel } = request.params as Params;
      const stored = await loadOverride(deps, request.tenantId, messageType, channel);
      return { status: 200, body: view(messageType, channel, stored), headers: { etag: etag(stored?.version ?? 0) } };
    },
  }),
  defineRoute({
    method: 'PUT',
    path: '/templates/{messageType}/{channel}',
    tag,
    auth: 'tenant',
    summary: 'Replace the business’s own template per language (languages left out use the default); If-Match: "0" the first time',
    params: TemplateParams,
    body: TemplateInput,
    ifMatch: 'required',
    responses: {
      200: { description: 'The template per language; ETag carries the new version', schema: MessageTemplate },
      403: { description: 'The business’s plan has no custom texts (code plan_required, naming the plan)', schema: ErrorResponse },
      ...errors,
    },
    async operation(request, deps) {
      const { messageType, channel } = request.params as Params;
      const given = (request.body as { languages: TemplateOverride['languages'] }).languages;
      const entries = languages.flatMap((language) => (given[language] ? [[language, given[language]] as const] : []));
      const issues = entries.flatMap(([language, source]) => prefixed(`languages.${language}`, validateTemplate(source, messageType, channel)));
      if (issues.length > 0) throw invalidInput(issues, 'The template is not valid');
      requirePaidPlan(await tenantPlan(deps, request.tenantId), 'Templates of your own');

      const id = templateId(messageType, channel);
      const current = await loadOverride(deps, request.tenantId, messageType, channel);
      const currentVersion = current?.version ?? 0;
      if (request.ifMatch !== currentVersion) throw versionConflict(templateKind, id, currentVersion);

      const stored: TemplateOverride['languages'] = Object.fromEntries(
        entries.map(([language, source]) => [language, channel === 'email' ? { subject: source.subject!, text: source.text } : { text: source.text }]),
      );
      const fields = { messageType, channel, languages: stored };
      const next = current ? revise(current, fields, deps.now()) : newRecord(fields, id, deps.now());
      await deps.store.put(request.tenantId, templateKind, next, { expected: current ? current.version : 'absent' });
      return { status: 200, body: view(messageType, channel, next), headers: { etag: etag(next.version) } };
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/templates/{messageType}/{channel}',
    tag,
    auth: 'tenant',
    summary: 'Go back to the default texts in every language (If-Match optional)',
    params: TemplateParams,
    responses: { 204: { description: 'Only the defaults apply now' }, 400: errors[400], 412: errors[412] },
    async operation(request, deps) {
      const { messageType, channel } = request.params as Params;
      const id = templateId(messageType, channel);
      const current = await loadOverride(deps, request.tenantId, messageType, channel);
      const currentVersion = current?.version ?? 0;
      if (request.ifMatch !== undefined && request.ifMatch !== currentVersion) throw versionConflict(templateKind, id, currentVersion);
      if (current) await deps.store.remove(request.tenantId, templateKind, id, { expected: current.version });
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/templates/preview',
    operationId: 'previewTemplate',
    tag,
    auth: 'tenant',
    summary: 'Render a template with sample data (optionally overridden), with the SMS encoding and segment count',
    body: PreviewInput,
    responses: {
      200: { description: 'The rendered message', schema: Preview },
      400: {
        description: `Invalid request, or the message renders over its channel's limit (an SMS ${renderedLimits.smsSegments} segments, an email's text ${renderedLimits.emailTextBytes} bytes, a subject ${renderedLimits.subjectCharacters} characters); details.issues names each bad field`,
        schema: ErrorResponse,
      },
    },
    async operation(request, deps) {
      const body = request.body as z.infer<typeof PreviewInput>;
      const { messageType, channel, language } = body;
      let source: TemplateSource;
      if (body.template) {
        const issues = prefixed('template', validateTemplate(body.template, messageType, channel));
        if (issues.length > 0) throw invalidInput(issues, 'The template is not valid');
        source = body.template;
      } else {
        const override = templateOverrideOf(await loadOverride(deps, request.tenantId, messageType, channel));
        source = effectiveTemplate({ messageType, channel, language, ...(override ? { override } : {}) });
      }
      const variables = deepMerge(sampleContext(messageType, language), body.data ?? {});
      let rendered;
      try {
        rendered = renderTemplate(source, variables, channel, { language });
      } catch (error) {
        // The template was checked with every value at its longest, so data longer than that made it too long.
        if (error instanceof RenderedTooLong) throw invalidInput([{ path: body.data ? 'data' : `template.${error.field}`, message: error.message }], 'The message is too long');
        const issues = (error as { details?: { issues?: FieldIssue[] } }).details?.issues;
        if (issues && body.template) throw invalidInput(prefixed('template', issues), 'The template cannot be rendered');
        throw error;
      }
      return {
        status: 200,
        body: {
          ...(rendered.subject === undefined ? {} : { subject: rendered.subject }),
          text: rendered.text,
          ...(rendered.html === undefined ? {} : { html: rendered.html }),
          ...(channel === 'sms' ? { sms: smsInfo(rendered.text) } : {}),
          ...(hasScreen(messageType) ? { screenText: await previewScreen(deps, request.tenantId, messageType, language, variables) } : {}),
        },
      };
    },
  }),
];

export const handler = httpHandler(routes, apiDeps());
