import { z } from 'zod';
import { clientKind } from '#domain/clients.ts';
import { notFound } from '#domain/errors.ts';
import { Document, documentKind, downloadUrlSeconds } from '#domain/documents.ts';
import { httpHandler } from '#http/http-handler.ts';
import { errors, IdParams, pageFields, pageOf } from '#http/record-routes.ts';
import { defineRoute } from '#http/route.ts';
import { appDeps } from '#handlers/wiring.ts';

/**
 * The business's side of the files clients upload through the public widget: each client's
 * documents, and a short-lived link to download one. Files arrive only through the widget, so
 * there is no create or edit here.
 */

const base = { tag: 'Documents', auth: 'tenant' as const };

export const DownloadLink = z
  .object({
    url: z.string().meta({ description: 'GET it before expiresAt to download the file' }),
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: 'DocumentDownload' });

export const routes = [
  defineRoute({
    ...base,
    method: 'GET',
    path: '/clients/{id}/documents',
    summary: 'The documents a client uploaded, newest first',
    params: IdParams,
    query: z.strictObject(pageFields),
    responses: { 200: { description: 'A page of documents', schema: pageOf(Document) }, ...errors(400, 404) },
    async operation(request, deps) {
      if (!(await deps.store.get(request.tenantId, clientKind, request.params.id))) throw notFound(clientKind, request.params.id);
      // Only uploaded documents belong to a client; pending ones have no clientId and are not in its index.
      const page = await deps.store.list(request.tenantId, documentKind, {
        order: { by: 'client', clientId: request.params.id, newestFirst: true },
        limit: request.query.limit,
        ...(request.query.cursor === undefined ? {} : { cursor: request.query.cursor }),
      });
      return { status: 200, body: page };
    },
  }),
  defineRoute({
    ...base,
    method: 'GET',
    path: '/documents/{id}/download',
    summary: 'A link to download a document, valid for a few minutes',
    params: IdParams,
    responses: { 200: { description: 'The signed download link', schema: DownloadLink }, ...errors(400, 404) },
    async operation(request, deps) {
      const document = await deps.store.get(request.tenantId, documentKind, request.params.id);
      // A pending document is not the business's yet: its upload may never have come.
      if (document?.status !== 'uploaded') throw notFound(documentKind, request.params.id);
      const { storageKey, fileName } = document as Document;
      const url = await deps.documents.downloadUrl(storageKey, fileName, downloadUrlSeconds);
      return { status: 200, body: { url, expiresAt: new Date(deps.now().getTime() + downloadUrlSeconds * 1000).toISOString() } };
    },
  }),
];

export const handler = httpHandler(routes, appDeps);
