import { AutomatedMessages, AutomatedMessagesInput, automatedMessagesId, automatedMessagesKind, customTexts, defaultAutomatedMessages } from '#domain/messages/rules.ts';
import { validateTemplate } from '#domain/messages/templates.ts';
import { screenTextIssues } from '#domain/messages/screen-text.ts';
import { httpHandler } from '#http/http-handler.ts';
import { singletonRoutes } from '#http/singleton-routes.ts';
import { appDeps } from '#wiring';

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

export const handler = httpHandler(routes, appDeps);
