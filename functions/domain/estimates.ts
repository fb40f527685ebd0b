import * as z from 'zod';
import { RecordMeta } from '#domain/record.ts';
import { defineLifecycle } from '#domain/lifecycle.ts';
import { AmountMinor, CalendarDate, Currency, Notes, RecordId } from '#domain/values.ts';
import { DocumentNumber } from '#domain/invoices.ts';

/**
 * An estimate past its `expiresOn` stays `issued`: the date is what says it lapsed, and the expiry
 * reminders run before it. There is no `expired` status that nothing would ever set.
 */
export const { lifecycle: estimateLifecycle, statuses: estimateStatuses } = defineLifecycle({ draft: ['issued'], issued: ['accepted', 'declined'], accepted: [], declined: [] });
export type EstimateStatus = (typeof estimateStatuses)[number];

const EstimateFields = z.strictObject({
  number: DocumentNumber,
  clientId: RecordId,
  amountMinor: AmountMinor,
  currency: Currency,
  expiresOn: CalendarDate,
  notes: Notes,
});

export const EstimateInput = EstimateFields.partial({ notes: true });
export const EstimatePatch = EstimateFields.partial();
export const Estimate = EstimateInput.extend({ status: z.enum(estimateStatuses), ...RecordMeta.shape });
export type Estimate = z.infer<typeof Estimate>;

export const estimateKind = 'estimate';
