import type { AreaResource } from '#api/catalog.ts';
import * as z from 'zod';
import { clientKind, type Client } from '#domain/clients.ts';
import { DomainError } from '#domain/errors.ts';
import { defaultPublicRateLimit, defaultPublicSenderRateLimit, unsubscribeCounter } from '#domain/rate-limit.ts';
import { defaultSettings, settingsId, settingsKind } from '#domain/settings.ts';
import { allMarketing, allMessages, unsubscribeKey, withUnsubscribe, type UnsubscribeScope, type UnsubscribeSource } from '#domain/unsubscribe.ts';
import { unsubscribePath, verifyUnsubscribeToken, type UnsubscribeClaims } from '#domain/unsubscribe-token.ts';
import { choicePage, donePage, invalidLinkPage } from '#domain/unsubscribe-page.ts';
import type { AppDeps } from '#http/deps.ts';
import { httpHandler } from '#http/http-handler.ts';
import { ErrorResponse, errors } from '#http/record-routes.ts';
import { defineRoute, type RouteResult } from '#http/route.ts';
import { apiDeps } from '#wiring/api.ts';
import { unsubscribeKey as unsubscribeSigningKey } from '#wiring/secrets.ts';
import { bindRequestTenant } from '#request-tenant';

/**
 * The page an email's unsubscribe link opens (`GET`), the one-click unsubscribe mail clients send
 * (RFC 8058: `POST` with `List-Unsubscribe=One-Click`, no cookies, no redirect) and the page's own
 * form (`POST` with `scope`). No login: the signed, expiring token names the business and the client.
 * Every bad, expired or forged token gets the same neutral 400 page, and nothing is read for it.
 */

const Query = z.object({
  link: z.string().max(2048).optional().meta({ description: 'The link’s signed, expiring code (a compact JWS, HS256); any other value gets the neutral 400 page' }),
});
const Form = z.strictObject({
  'List-Unsubscribe': z.literal('One-Click').optional().meta({ description: 'RFC 8058 one-click: turns off the kind of message the link came with (from a transactional message’s link: all marketing email)' }),
  scope: z.enum(['kind', allMarketing, allMessages]).optional().meta({
    description: 'From the page: kind (the kind the link came with), marketing (all marketing email) or all (every email but auto-replies). Default kind',
  }),
});

const Page = z.string().meta({ description: 'A small HTML page in the client’s language' });
const neutral = { description: 'The link is not valid, has expired or names no client: the same page whoever it named (in every language)', schema: Page, contentType: 'text/html' as const };

const base = { tag: 'Unsubscribe', auth: 'public' as const, path: unsubscribePath, query: Query };

/** Public pages are not cached and do not pass the token on (Referrer-Policy), nor load anything but themselves. */
const html = (status: number, body: string): RouteResult => ({
  status,
  body,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  },
});

/** Only a valid token is counted, per client: the request of a forged one costs a signature check, no read. */
async function linkOf(deps: AppDeps, token: string | undefined) {
  const claims = token ? await verifyUnsubscribeToken(await deps.unsubscribeKey(), token, deps.now()) : undefined;
  if (!claims) return undefined;
  // The signed link names the business: from here its table calls carry that business's credentials.
  bindRequestTenant(claims.tenantId);
  const windowSeconds = Number(process.env.PUBLIC_RATE_WINDOW_SECONDS ?? defaultPublicRateLimit.windowSeconds);
  const taken = await deps.rateLimiter.take(unsubscribeCounter(claims.tenantId, claims.clientId), { limit: Number(process.env.PUBLIC_SENDER_RATE_LIMIT ?? defaultPublicSenderRateLimit), windowSeconds }, deps.now());
  if (!taken.allowed) throw new DomainError('rate_limited', `Too many requests for this link; try again in ${taken.retryAfterSeconds} seconds`, { retryAfterSeconds: taken.retryAfterSeconds });
  const loaded = await deps.store.getMany(claims.tenantId, [
    { kind: clientKind, id: claims.clientId },
    { kind: settingsKind, id: settingsId },
  ]);
  const client = loaded.get(clientKind, claims.clientId);
  if (!client) return undefined;
  const settings = loaded.get(settingsKind, settingsId) ?? defaultSettings;
  return { claims, client, business: settings.businessName, language: client.language ?? settings.defaultLanguage };
}

/** Writes the unsubscribe on the card unless it is there already; a concurrent edit of the card is read again. */
async function unsubscribe(deps: AppDeps, claims: UnsubscribeClaims, read: Client, scope: UnsubscribeScope, source: UnsubscribeSource): Promise<void> {
  let client: Client | undefined = read;
  for (let attempt = 1; client; attempt++) {
    const at = deps.now().toISOString();
    const unsubscribed = withUnsubscribe(client.unsubscribed, claims.channel, unsubscribeKey(scope, claims.kind), { at, source });
    if (!unsubscribed) return;
    try {
      await deps.store.put(claims.tenantId, clientKind, { ...client, unsubscribed, version: client.version + 1, updatedAt: at }, { expected: client.version, replaces: client });
      return;
    } catch (error) {
      if (!(error instanceof DomainError && error.code === 'version_mismatch')) throw error;
      if (attempt >= 3) throw new DomainError('transaction_conflict', 'The client card kept changing; try again');
      client = await deps.store.get(claims.tenantId, clientKind, claims.clientId);
    }
  }
}

export const routes = [
  defineRoute({
    ...base,
    method: 'GET',
    summary: 'The email preferences page an email’s link opens: stop this kind of message, all marketing email, or all email',
    operationId: 'getUnsubscribePage',
    responses: { 200: { description: 'The choice, in the client’s language; its form posts back to the same link', schema: Page, contentType: 'text/html' }, 400: neutral, ...errors(429) },
    async operation(request, deps) {
      const link = await linkOf(deps, request.query.link);
      if (!link) return html(400, invalidLinkPage);
      return html(200, choicePage(link.language, link.business, request.query.link!, link.claims.kind !== undefined));
    },
  }),
  defineRoute({
    ...base,
    method: 'POST',
    summary: 'Unsubscribe: RFC 8058 one-click (`List-Unsubscribe=One-Click`) or the page’s choice (`scope`); idempotent, recorded on the client card',
    operationId: 'unsubscribe',
    body: Form,
    bodyType: 'form',
    maxBodyBytes: 4 * 1024,
    responses: {
      200: { description: 'Done (or already so: a repeat changes nothing), in the client’s language', schema: Page, contentType: 'text/html' },
      400: neutral,
      ...errors(413, 429),
      409: { description: 'The client card kept changing while this was written; try again', schema: ErrorResponse },
      415: { description: 'Body is not a form (application/x-www-form-urlencoded or multipart/form-data)', schema: ErrorResponse },
    },
    async operation(request, deps) {
      const link = await linkOf(deps, request.query.link);
      if (!link) return html(400, invalidLinkPage);
      const scope = request.body.scope ?? 'kind';
      const source: UnsubscribeSource = request.body['List-Unsubscribe'] === 'One-Click' ? 'one_click' : 'preferences_page';
      await unsubscribe(deps, link.claims, link.client, scope, source);
      // A link from a transactional message names no kind: its "this kind" is all marketing.
      return html(200, donePage(link.language, link.business, scope === 'kind' && !link.claims.kind ? allMarketing : scope));
    },
  }),
];

/** What the area's function uses besides the table: the stack grants exactly these, and the handler wires them. */
export const uses = ['unsubscribe-rate-limit', 'unsubscribe-key'] as const satisfies readonly AreaResource[];

export const handler = httpHandler(routes, apiDeps({ unsubscribeKey: unsubscribeSigningKey }));
