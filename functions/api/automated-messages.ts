import { AutomatedMessages, AutomatedMessagesInput, automatedMessagesId, automatedMessagesKind, customTexts, defaultAutomatedMessages } from '#domain/messages/rules.ts';
import { validateTemplate } from '#domain/messages/templates.ts';
import { customScreenTexts, screenTextIssues } from '#domain/messages/screen-text.ts';
import { requirePaidPlan } from '#domain/plans.ts';
import { tenantPlan } from '#api/plans.ts';
import { httpHandler } from '#http/http-handler.ts';
import { singletonRoutes } from '#http/singleton-routes.ts';
import { apiDeps } from '#wiring/api.ts';

/** The settings page of automated messages; it stands for the system rules the evaluator applies. */
export const routes = singletonRoutes({
  path: '/settings/automated-messages',
  tag: 'Automated messages',
  name: 'automated message settings',
  kind: automatedMessagesKind,
  id: automatedMessagesId,
  input: AutomatedMessagesInput,
  output: AutomatedMessages.meta({ id: 'AutomatedMessages' }),
  defaults: defaultAutomatedMessages,
  // Custom texts are a paid plan's: on the free plan a page with any is refused, one without saves.
  allowed: {
    refusal: 'The business’s plan has no custom texts (code plan_required, naming the plan): custom texts, auto-reply texts and screen texts need a paid plan',
    async check(settings: AutomatedMessagesInput, deps, tenantId) {
      if (customTexts(settings).length + customScreenTexts(settings).length > 0) requirePaidPlan(await tenantPlan(deps, tenantId), 'Custom texts');
    },
  },
  // Custom text replaces the body only; the default subject stays, so only the text is checked. An
  // auto-reply's one text is checked for both channels: a fault of both is reported once.
  check: (settings: AutomatedMessagesInput) => {
    const issues = customTexts(settings).flatMap((entry) =>
      validateTemplate({ text: entry.text, ...(entry.channel === 'email' ? { subject: '-' } : {}) }, entry.template, entry.channel)
        .filter((issue) => issue.path === 'text')
        .map((issue) => ({ path: entry.path, message: issue.message })),
    );
    return [...new Map([...issues, ...screenTextIssues(settings)].map((issue) => [`${issue.path}\n${issue.message}`, issue])).values()];
  },
});

export const handler = httpHandler(routes, apiDeps());
