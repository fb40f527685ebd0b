import { ClientField, ClientFieldInput, ClientFieldPatch, clientFieldKind } from '#domain/client-fields.ts';
import { conflict } from '#domain/errors.ts';
import { httpHandler } from '#http/http-handler.ts';
import { mergedInput, recordRoutes } from '#http/record-routes.ts';
import { apiDeps } from '#wiring/api.ts';
import { clientFieldDefinitions, maxClientFields } from '#services/client-field-definitions.ts';

export const routes = recordRoutes({
  kind: clientFieldKind,
  path: '/client-fields',
  tag: 'Client fields',
  record: ClientField.meta({ id: 'ClientField' }),
  create: {
    body: ClientFieldInput,
    async prepare(input, request, deps) {
      const existing = await clientFieldDefinitions(deps, request.tenantId);
      if (existing.length >= maxClientFields) throw conflict(`A business can define at most ${maxClientFields} client fields`);
      return { fields: input };
    },
  },
  // The type stays as created, so values already stored keep their meaning.
  patch: { body: ClientFieldPatch.omit({ type: true }), prepare: async (current, patch) => ({ fields: mergedInput(ClientFieldInput, current, patch) }) },
  list: { defaultOrder: 'created', byClient: false },
  remove: {},
});

export const handler = httpHandler(routes, apiDeps());
