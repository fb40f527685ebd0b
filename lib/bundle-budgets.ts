/**
 * What each function's bundle may weigh, minified (test/cdk/stack.test.ts fails past it), and the
 * targets bench/function-bundles.ts reports against. A budget is the bundle's size when it was set
 * plus about 5 %: growing past it means a new dependency or an import that pulls a module graph in,
 * which should be a decision, not an accident.
 */
export const BUNDLE_SIZE_TARGET = 500 * 1024;
export const IMPORT_RATIO_TARGET = 1.1;

const KiB = 1024;
/**
 * KiB per entry, measured by bench/function-bundles.ts. None meets BUNDLE_SIZE_TARGET: the AWS SDK
 * (bundled, so a function runs the versions tested), Powertools Tracer's X-Ray SDK and zod, which
 * every function needs, weigh more than that together (the benchmark prints them alone). The
 * OpenAPI function is the largest: it describes every area's routes from their declarations, so it
 * bundles every area's module graph.
 */
const budgets: Readonly<Record<string, number>> = {
  'functions/api/automated-messages.ts': 1070,
  'functions/api/bookings.ts': 1080,
  'functions/api/client-fields.ts': 970,
  'functions/api/clients.ts': 1280,
  'functions/api/documents.ts': 1120,
  'functions/api/estimates.ts': 1070,
  'functions/api/imports.ts': 1180,
  'functions/api/invoices.ts': 1070,
  'functions/api/leads.ts': 970,
  'functions/api/locations.ts': 970,
  'functions/api/notifications.ts': 960,
  'functions/api/openapi.ts': 1700,
  'functions/api/orders.ts': 1070,
  'functions/api/public.ts': 1400,
  'functions/api/rules.ts': 970,
  'functions/api/settings.ts': 1040,
  'functions/api/templates.ts': 1070,
  'functions/api/unsubscribe.ts': 1010,
  'functions/lambdas/client-import.ts': 1300,
  'functions/lambdas/email-events.ts': 780,
  'functions/lambdas/message-delivery.ts': 1190,
  'functions/lambdas/rule-evaluator.ts': 1000,
};

/** The budget of the bundle of `entry` (relative to the project root). */
export function bundleBudgetOf(entry: string): number {
  const budget = budgets[entry];
  if (budget === undefined) throw new Error(`lib/bundle-budgets.ts: no budget for ${entry}`);
  return budget * KiB;
}
