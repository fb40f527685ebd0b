import { Estimate, EstimateInput, EstimatePatch, estimateKind, estimateLifecycle, estimateStatuses } from '#domain/estimates.ts';
import { httpHandler } from '#http/http-handler.ts';
import { appDeps } from '#wiring';
import { numberedDocumentRoutes } from '#api/numbered-documents.ts';

export const routes = numberedDocumentRoutes({
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

export const handler = httpHandler(routes, appDeps);
