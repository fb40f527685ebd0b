import { dynamoClientSuppressions, dynamoMessageOutcomes } from '#adapters/dynamodb/message-outcomes.ts';
import type { EmailEventsDeps } from '#domain/messages/provider-events.ts';
import { documents, now, once, required } from '#wiring/core.ts';

/** The SES events function's: the table only. */
export const emailEventsDeps = /* @__PURE__ */ once(
  (): EmailEventsDeps => ({
    outcomes: dynamoMessageOutcomes(documents(), required('TABLE_NAME')),
    clients: dynamoClientSuppressions(documents(), required('TABLE_NAME')),
    now,
  }),
);
