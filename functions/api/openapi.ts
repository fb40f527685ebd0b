import { defineRoute } from '#http/route.ts';
import { httpHandler } from '#http/http-handler.ts';
import { openApiDocument } from '#http/openapi-document.ts';
import { apiDeps } from '#wiring/api.ts';
import { recordAreas } from '#api/record-areas.ts';

let document: ReturnType<typeof openApiDocument> | undefined;

export const routes = [
  defineRoute({
    method: 'GET',
    path: '/openapi.json',
    tag: 'API',
    auth: 'public',
    summary: 'This API’s OpenAPI 3.1 document',
    responses: { 200: { description: 'The OpenAPI document' } },
    async operation() {
      document ??= openApiDocument(recordAreas.flatMap((area) => area.routes));
      return { status: 200, body: document, headers: { 'cache-control': 'public, max-age=300' } };
    },
  }),
];

export const handler = httpHandler(routes, apiDeps());
