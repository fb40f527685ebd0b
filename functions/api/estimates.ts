import { Estimate, EstimateInput, EstimatePatch, estimateKind, estimateLifecycle, estimateStatuses } from '#domain/estimates.ts';
import { httpHandler } from '#http/http-handler.ts';
import { apiDeps } from '#wiring/api.ts';
import { recordMessagesRoute } from '#api/record-messages.ts';
import { numberedDocumentArea } from '#api/numbered-documents.ts';
import { recordRoutes } from '#http/record-routes.ts';

export const estimateArea = numberedDocumentArea({
  kind: estimateKind,
  path: '/estimates',
  tag: 'Estimates',
  record: Estimate,
  schemaId: 'Estimate',
  input: EstimateInput,
  patch: EstimatePatch,
  dateDescribes: 'expiry date',
  statuses: estimateStatuses,
  lifecycle: estimateLifecycle,
  actions: [
    { name: 'issue', summary: 'Send a draft estimate to the client', to: 'issued' },
    { name: 'accept', summary: 'Record that the client accepted the estimate', to: 'accepted' },
    { name: 'decline', summary: 'Record that the client declined the estimate', to: 'declined' },
  ],
});

export const routes = [...recordRoutes(estimateArea), recordMessagesRoute(estimateKind, estimateArea)];
export const handler = httpHandler(routes, apiDeps());
