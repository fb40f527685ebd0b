import { z } from 'zod';
import { Estimate, EstimateInput, EstimatePatch, estimateKind, estimateLifecycle, estimateStatuses } from '#domain/estimates.ts';
import { CalendarDate } from '#domain/values.ts';
import { httpHandler } from '#http/http-handler.ts';
import { recordRoutes } from '#http/record-routes.ts';
import { appDeps } from '#handlers/wiring.ts';
import { numberedDocument } from '#handlers/numbered-documents.ts';

const document = numberedDocument(estimateKind, EstimateInput);

export const routes = recordRoutes({
  kind: estimateKind,
  path: '/estimates',
  tag: 'Estimates',
  record: Estimate.meta({ id: 'Estimate' }),
  create: document.create,
  patch: { body: EstimatePatch, prepare: document.prepareChange },
  remove: document.remove,
  list: { defaultOrder: 'created', time: { schema: CalendarDate, describes: 'expiry date' }, byClient: true, status: z.enum(estimateStatuses) },
  lifecycle: {
    statuses: estimateLifecycle,
    actions: [
      { name: 'issue', summary: 'Send a draft estimate to the client', to: 'issued' },
      { name: 'accept', summary: 'Record that the client accepted the estimate', to: 'accepted' },
      { name: 'decline', summary: 'Record that the client declined the estimate', to: 'declined' },
    ],
  },
});

export const handler = httpHandler(routes, appDeps);
