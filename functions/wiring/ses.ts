import { SESv2Client } from '@aws-sdk/client-sesv2';
import { traced } from '#tracer';
import { sesSenderIdentities } from '#adapters/ses/sender-identities.ts';
import type { SenderDeps } from '#services/sender-settings.ts';
import { once, overrides, required } from '#wiring/core.ts';

/** The settings area's SES identity and tenant management; nothing on the send path uses it. */
export const senderDeps = /* @__PURE__ */ once(
  (): SenderDeps => ({
    identities:
      overrides().senderIdentities?.() ??
      sesSenderIdentities(traced(new SESv2Client({})), { configurationSetArn: required('SES_CONFIGURATION_SET_ARN'), identityArnPrefix: required('SES_IDENTITY_ARN_PREFIX') }),
    tenantPrefix: required('SES_TENANT_PREFIX'),
    platformAddress: required('SENDER_EMAIL'),
  }),
);
