import * as z from 'zod';
import { clientKind } from '#domain/clients.ts';
import { notFound } from '#domain/errors.ts';
import { messageIdPrefixOf } from '#domain/identities.ts';
import { locationKind } from '#domain/locations.ts';
import { ConversationMessage, messageKind } from '#domain/messages/conversation.ts';
import { isMessageType, type TriggeringKind } from '#domain/messages/message-types.ts';
import { renderMessage } from '#domain/messages/render-message.ts';
import { defaultPlan, planId, planKind, plans } from '#domain/plans.ts';
import { automatedMessagesId, automatedMessagesKind, automatedMessagesOf } from '#domain/messages/rules.ts';
import { RenderedTooLong } from '#domain/messages/templates.ts';
import { templateId, templateKind } from '#domain/messages/template-record.ts';
import type { StoredRecord } from '#domain/record-store.ts';
import { defaultSettings, settingsId, settingsKind } from '#domain/settings.ts';
import type { AppDeps } from '#http/deps.ts';
import { IdParams, errors, pageFields, pageOf } from '#http/record-routes.ts';
import { defineRoute } from '#http/route.ts';

/**
 * Upcoming messages with the text they would have if they went now: rendered on read with the
 * record, client, place and templates as they are, so an edit of any of them shows at once.
 */
async function withTexts(deps: AppDeps, tenantId: string, record: StoredRecord, messages: readonly ConversationMessage[]): Promise<ConversationMessage[]> {
  const upcoming = messages.flatMap(({ status, messageType, channel }) => (status === 'scheduled' && channel !== 'web' && isMessageType(messageType) ? [{ messageType, channel }] : []));
  if (upcoming.length === 0) return [...messages];
  const clientId = String(record.clientId);
  const locationId = typeof record.locationId === 'string' ? record.locationId : undefined;
  const templates = [...new Set(upcoming.map((message) => templateId(message.messageType, message.channel)))];
  const loaded = await deps.store.getMany(tenantId, [
    { kind: clientKind, id: clientId },
    { kind: settingsKind, id: settingsId },
    { kind: automatedMessagesKind, id: automatedMessagesId },
    ...templates.map((id) => ({ kind: templateKind, id }) as const),
    ...(locationId ? [{ kind: locationKind, id: locationId } as const] : []),
    { kind: planKind, id: planId },
  ]);
  const context = {
    record,
    client: loaded.get(clientKind, clientId),
    settings: loaded.get(settingsKind, settingsId) ?? defaultSettings,
    automated: automatedMessagesOf(loaded.get(automatedMessagesKind, automatedMessagesId)),
    location: locationId ? loaded.get(locationKind, locationId) : undefined,
    ownTexts: plans[(loaded.get(planKind, planId) ?? defaultPlan).plan].paid,
  };
  return messages.map((message) => {
    const { messageType, channel } = message;
    if (message.status !== 'scheduled' || channel === 'web' || !isMessageType(messageType)) return message;
    try {
      const rendered = renderMessage({ ...context, message: { messageType, channel, audience: message.audience, ruleId: message.ruleId ?? '' }, template: loaded.get(templateKind, templateId(messageType, channel)) });
      return { ...message, text: rendered.text, ...(rendered.subject ? { subject: rendered.subject } : {}) };
    } catch (error) {
      // Too long with these values: shown without a text; delivery records it as failed: too_long.
      if (error instanceof RenderedTooLong) return message;
      throw error;
    }
  });
}

/**
 * `GET /<records>/{id}/messages`: the messages about one record, upcoming (`scheduled`, with their
 * due time and text as it would render now), cancelled and past, in id order (by rule, then due time).
 */
export function recordMessagesRoute(kind: TriggeringKind, area: { readonly path: string; readonly tag: string }) {
  const noun = area.path.slice(1, -1);
  return defineRoute({
    method: 'GET',
    path: `${area.path}/{id}/messages`,
    tag: area.tag,
    auth: 'tenant',
    summary: `The ${noun}’s messages: upcoming ones (status scheduled, with dueAt and their text as it would render now), cancelled ones with the reason, and past ones with their outcome`,
    params: IdParams,
    query: z.strictObject(pageFields),
    responses: { 200: { description: 'A page of messages', schema: pageOf(ConversationMessage) }, ...errors(400, 404) },
    async operation(request, deps) {
      const { tenantId } = request;
      const record = await deps.store.get(tenantId, kind, request.params.id);
      if (!record) throw notFound(kind, request.params.id);
      const page = await deps.store.list(tenantId, messageKind, {
        order: { by: 'id', prefix: messageIdPrefixOf({ kind: kind, id: request.params.id }) },
        limit: request.query.limit,
        ...(request.query.cursor === undefined ? {} : { cursor: request.query.cursor }),
      });
      // What the message log keeps beside a message (its sender's lease) is not part of it.
      const messages = page.items.map(({ leaseUntil: _lease, providerAccepted: _accepted, version: _version, ...message }) => message);
      return { status: 200, body: { items: await withTexts(deps, tenantId, record as StoredRecord, messages), nextCursor: page.nextCursor } };
    },
  });
}
