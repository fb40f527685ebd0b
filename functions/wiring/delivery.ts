import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { traced } from '#tracer';
import { sesEmailSender } from '#adapters/ses/email-sender.ts';
import { snsSmsSender } from '#adapters/sns/sms-sender.ts';
import { signUnsubscribeToken, unsubscribeUrl } from '#domain/unsubscribe-token.ts';
import type { DeliveryDeps } from '#domain/messages/deliver.ts';
import { messageLog, now, once, overrides, recordStore, required, smsUsage } from '#wiring/core.ts';
import { messageScheduler } from '#wiring/scheduler.ts';
import { unsubscribeKey } from '#wiring/secrets.ts';

/** Delivery's: the table, SES, SNS, the unsubscribe key, and Scheduler for moves at fire time. */
export const deliveryDeps = /* @__PURE__ */ once(
  (): DeliveryDeps => ({
    store: recordStore(),
    messages: messageLog(),
    email: sesEmailSender(traced(new SESv2Client({})), {
      from: required('SENDER_EMAIL'),
      configurationSet: process.env.SES_CONFIGURATION_SET,
      ...overrides().emailEvidence?.(),
    }),
    sms: overrides().sms?.() ?? snsSmsSender(traced(new SNSClient({})), process.env.SMS_SENDER_ID),
    // PUBLIC_BASE_URL is read on each use: local mode knows its server's address only once it listens.
    unsubscribeLink: async (claims) => unsubscribeUrl(required('PUBLIC_BASE_URL'), await signUnsubscribeToken(await unsubscribeKey()(), claims, now())),
    smsUsage: smsUsage(),
    // Built on first use: only a message that fires outside business hours re-arms.
    scheduler: { arm: (schedules) => messageScheduler().arm(schedules) },
    now,
  }),
);
