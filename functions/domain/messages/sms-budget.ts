import { createOnce, type RecordStore } from '#domain/record-store.ts';
import { usageNoticeIdOf } from '#domain/identities.ts';
import { notificationKind, smsUsageNotice, type Notification } from '#domain/notifications.ts';
import { thresholdsReached, usageNotice, type SmsUsage, type UsageThreshold } from '#domain/plans.ts';
import type { Language } from '#domain/values.ts';
import { escapeHtml } from '#domain/messages/html.ts';
import type { EmailSender } from '#domain/messages/ports.ts';

/**
 * Delivery's side of the SMS budget: an SMS takes its segments from the business's month before it
 * is sent, and the business hears once at 80 % and once at 100 % of its budget each month.
 */

/** What delivery decided about an SMS's budget: the month it counts in, its segments, the budget, and who hears about it. */
export interface SmsBudgetCharge {
  readonly month: string;
  readonly segments: number;
  readonly budget: number;
  readonly business: { readonly contactEmail?: string | undefined; readonly language: Language };
}

export interface SmsBudgetDeps {
  readonly store: RecordStore;
  readonly email: EmailSender;
  readonly smsUsage: SmsUsage;
  readonly now: () => Date;
}

/**
 * Takes the message's segments (once, however often it is retried): false when they no longer fit,
 * and the SMS must not go. The notices follow the count, not the crossing, so a notice whose write
 * failed is made by the next SMS; each is created once (its id names the month and the share).
 */
export async function takeSmsBudget(deps: SmsBudgetDeps, tenantId: string, messageId: string, charge: SmsBudgetCharge): Promise<boolean> {
  const take = await deps.smsUsage.take(tenantId, charge.month, { id: messageId, segments: charge.segments }, charge.budget);
  // Refused: whatever is left is too little for this SMS, so the budget counts as used up.
  const used = take.taken ? take.after : charge.budget;
  for (const threshold of thresholdsReached(used, charge.budget)) await notifyUsage(deps, tenantId, charge, threshold);
  return take.taken;
}

/** Gives back the segments of an SMS whose send failed for sure (the provider refused it): they were never spent. */
export const giveBackSmsBudget = (deps: SmsBudgetDeps, tenantId: string, messageId: string, charge: SmsBudgetCharge): Promise<void> =>
  deps.smsUsage.giveBack(tenantId, charge.month, { id: messageId, segments: charge.segments });

/** The notification, once per month and threshold, and the email to the business's contact address with it. */
async function notifyUsage(deps: SmsBudgetDeps, tenantId: string, charge: SmsBudgetCharge, threshold: UsageThreshold): Promise<void> {
  const id = usageNoticeIdOf(charge.month, threshold);
  const { subject, text } = usageNotice(threshold, charge.month, charge.budget, charge.business.language);
  const at = deps.now().toISOString();
  const notification: Notification = {
    id,
    version: 1,
    createdAt: at,
    updatedAt: at,
    messageType: smsUsageNotice,
    title: subject,
    text,
    entity: { kind: 'usage', id: charge.month },
    link: '/usage',
    read: false,
  };
  if (!(await createOnce(deps.store, tenantId, notificationKind, notification))) return;
  const to = charge.business.contactEmail;
  // Only the request that created the notification emails it, so it goes once; an email that fails then is not retried (the notification stays).
  if (to) await deps.email.send({ tenantId, messageId: id, to, subject, text, html: `<p>${escapeHtml(text)}</p>`, messageType: smsUsageNotice });
}
