import { z } from 'zod';
import { RecordMeta } from '#domain/record.ts';
import type { Lifecycle } from '#domain/lifecycle.ts';
import { AmountMinor, CalendarDate, Currency, Notes, RecordId } from '#domain/values.ts';
import { DocumentNumber } from '#domain/invoices.ts';

export const estimateStatuses = ['draft', 'issued', 'accepted', 'declined', 'expired'] as const;
export type EstimateStatus = (typeof estimateStatuses)[number];

/**
 * No request leads to `expired`, and nothing moves an issued estimate there when `expiresOn` passes
 * yet: an estimate past its date stays `issued` (the expiry reminders run before the date), so the
 * `estimate.expired` event does not fire today.
 */
export const estimateLifecycle: Lifecycle<EstimateStatus> = {
  draft: ['issued'],
  issued: ['accepted', 'declined', 'expired'],
  accepted: [],
  declined: [],
  expired: [],
};

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
