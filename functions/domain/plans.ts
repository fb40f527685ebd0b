import * as z from 'zod';
import { DateTime } from 'luxon';
import { DomainError } from '#domain/errors.ts';
import type { Language } from '#domain/values.ts';

/**
 * Plans: what a business may use, set by the platform operator (PUT /operator/tenants/{tenantId}/plan),
 * never by the business. A paid plan gives custom texts (the settings page's own texts, screen texts,
 * template overrides) and SMS, with a monthly SMS budget in segments; the free plan neither.
 */

export const planNames = ['free', 'standard', 'pro'] as const;
export type PlanName = (typeof planNames)[number];

export interface Plan {
  /** Custom texts and SMS. */
  readonly paid: boolean;
  /** SMS segments a month, counted as billed (sms-encoding.ts). */
  readonly smsSegmentsPerMonth: number;
}

export const plans: Readonly<Record<PlanName, Plan>> = {
  free: { paid: false, smsSegmentsPerMonth: 0 },
  standard: { paid: true, smsSegmentsPerMonth: 300 },
  pro: { paid: true, smsSegmentsPerMonth: 1500 },
};
export const paidPlans = planNames.filter((name) => plans[name].paid);

export const PlanInput = z.strictObject({
  plan: z.enum(planNames).meta({ description: `free: no custom texts, no SMS; ${paidPlans.map((name) => `${name}: ${plans[name].smsSegmentsPerMonth} SMS segments a month`).join('; ')}` }),
  smsSegmentsPerMonth: z
    .number()
    .int()
    .min(0)
    .max(1_000_000)
    .optional()
    .meta({ description: 'The business’s own monthly SMS budget in segments, in place of its plan’s (a paid plan only)' }),
});
export type PlanInput = z.infer<typeof PlanInput>;

export const TenantPlan = PlanInput.extend({
  version: z.number().int().min(0).meta({ readOnly: true, description: '0 while the business is on the default plan, never set' }),
  updatedAt: z.iso.datetime().optional().meta({ readOnly: true }),
});
export type TenantPlan = z.infer<typeof TenantPlan>;

export const planKind = 'plan';
export const planId = 'current';

/**
 * A business the operator never gave a plan is on `standard`: the businesses that existed before
 * plans had custom texts and SMS, and taking them away unannounced would silently stop their
 * messages. The operator sets `free` (or another plan) when it onboards a business.
 */
export const defaultPlan: TenantPlan = { plan: 'standard', version: 0 };

/** The monthly SMS budget a plan gives, in segments: the business's own where the operator set one. */
export const smsBudgetOf = (plan: PlanInput): number => (plans[plan.plan].paid ? (plan.smsSegmentsPerMonth ?? plans[plan.plan].smsSegmentsPerMonth) : 0);

/** A paid plan's feature, refused on the free plan with 403 naming the plan. */
export function requirePaidPlan(plan: PlanInput, feature: string): void {
  if (plans[plan.plan].paid) return;
  throw new DomainError('plan_required', `${feature} need a paid plan (${paidPlans.join(' or ')}); this business is on the ${plan.plan} plan`, { plan: plan.plan, requires: [...paidPlans] });
}

/** The business's calendar month at `now` in its time zone, `YYYY-MM`: its SMS budget's period. */
export const monthIn = (now: Date, zone: string): string => DateTime.fromJSDate(now, { zone }).toFormat('yyyy-MM');

/** The shares of the budget at which the business hears, once each per month. */
export const usageThresholds = [80, 100] as const;
export type UsageThreshold = (typeof usageThresholds)[number];

/** The thresholds `used` segments of `budget` have reached: the notices the business is due this month. */
export function thresholdsReached(used: number, budget: number): UsageThreshold[] {
  if (budget <= 0) return [];
  return usageThresholds.filter((threshold) => used * 100 >= threshold * budget);
}

/** What taking an SMS's segments from the month's counter did. */
export type SmsTake =
  /** Taken: the counter went from `before` to `after`; a message whose segments were already taken (a retry) takes none again, `before === after`. */
  | { readonly taken: true; readonly before: number; readonly after: number }
  /** Refused: the segments do not fit in what is left of the budget. */
  | { readonly taken: false; readonly used: number };

/**
 * The business's monthly SMS counter (a conditional UpdateItem in AWS). Each message takes its
 * segments at most once, so a retried delivery does not count twice, and never past the budget,
 * however many sends run at once.
 */
export interface SmsUsage {
  take(tenantId: string, month: string, message: { readonly id: string; readonly segments: number }, budget: number): Promise<SmsTake>;
  /** Gives back a message's segments (its send failed for sure); nothing if it took none. */
  giveBack(tenantId: string, month: string, message: { readonly id: string; readonly segments: number }): Promise<void>;
  /** Segments used in the month. */
  used(tenantId: string, month: string): Promise<number>;
}

/** The business's notice when its SMS use crosses a threshold, in its language. */
export function usageNotice(threshold: UsageThreshold, month: string, budget: number, language: Language): { subject: string; text: string } {
  const texts: Record<Language, Record<UsageThreshold, { subject: string; text: string }>> = {
    en: {
      80: { subject: 'You have used 80% of this month’s SMS', text: `Your SMS for ${month} have used 80% of the ${budget} segments your plan includes. Once they are used up, SMS wait until next month; email goes on.` },
      100: { subject: 'This month’s SMS are used up', text: `Your SMS for ${month} have used all ${budget} segments your plan includes. Until next month no SMS is sent (recorded as sms_budget_exhausted); email goes on.` },
    },
    es: {
      80: { subject: 'Has usado el 80 % de los SMS de este mes', text: `Tus SMS de ${month} han usado el 80 % de los ${budget} segmentos que incluye tu plan. Cuando se agoten, los SMS esperarán al mes que viene; el correo sigue.` },
      100: { subject: 'Se han agotado los SMS de este mes', text: `Tus SMS de ${month} han usado los ${budget} segmentos que incluye tu plan. Hasta el mes que viene no se envía ningún SMS (queda como sms_budget_exhausted); el correo sigue.` },
    },
    fr: {
      80: { subject: 'Vous avez utilisé 80 % des SMS du mois', text: `Vos SMS de ${month} ont utilisé 80 % des ${budget} segments compris dans votre offre. Une fois épuisés, les SMS attendront le mois prochain ; les e-mails continuent.` },
      100: { subject: 'Les SMS du mois sont épuisés', text: `Vos SMS de ${month} ont utilisé les ${budget} segments compris dans votre offre. Jusqu’au mois prochain, aucun SMS n’est envoyé (noté sms_budget_exhausted) ; les e-mails continuent.` },
    },
    it: {
      80: { subject: 'Hai usato l’80% degli SMS del mese', text: `I tuoi SMS di ${month} hanno usato l’80% dei ${budget} segmenti inclusi nel tuo piano. Una volta esauriti, gli SMS aspetteranno il mese prossimo; le email continuano.` },
      100: { subject: 'Gli SMS del mese sono esauriti', text: `I tuoi SMS di ${month} hanno usato tutti i ${budget} segmenti inclusi nel tuo piano. Fino al mese prossimo non viene inviato alcun SMS (registrato come sms_budget_exhausted); le email continuano.` },
    },
  };
  return texts[language][threshold];
}
