import type { AreaResource } from '#api/catalog.ts';
import * as z from 'zod';
import { notFound } from '#domain/errors.ts';
import { Document, documentKind, downloadUrlSeconds } from '#domain/documents.ts';
import { httpHandler } from '#http/http-handler.ts';
import { errors, IdParams } from '#http/record-routes.ts';
import { defineRoute } from '#http/route.ts';
import { apiDeps } from '#wiring/api.ts';
import { documentStorage } from '#wiring/s3.ts';

/**
 * The business's side of the files clients upload through the public widget: a short-lived link to
 * download one (the client card lists them, `GET /clients/{id}/documents`). Files arrive only
 * through the widget, so there is no create or edit here.
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

/** What the area's function uses besides the table: the stack grants exactly these, and the handler wires them. */
export const uses = ['document-downloads'] as const satisfies readonly AreaResource[];

export const handler = httpHandler(routes, apiDeps({ documents: documentStorage }));
