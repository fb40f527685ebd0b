import { CfnRule, Fn, type App } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { devSpaOrigin } from '#http/cors.ts';
import { MessagesStack, originsFromContext, type MessagesStackProps } from './messages-stack.ts';
import { DEFAULT_SMS_SPEND_LIMIT_USD } from './operations-alarms.ts';
import { EdgeFirewallStack } from './edge-firewall.ts';

/** A stage name: it becomes part of the stack name and so of every resource name. */
const STAGE = /^[a-z][a-z0-9-]{0,19}$/;
/** The stack name of a test synth (`cdk synth` without `-c stage=...`). */
export const TEST_STAGE = 'test';
/** What a test synth sends from: a reserved domain (RFC 2606), so it can never be a real sender. */
export const TEST_SENDER_EMAIL = 'no-reply@example.invalid';

/** What a deployment synth cannot go without, by context key, and why. */
export const REQUIRED_FOR_DEPLOYMENT = {
  senderEmail: 'the From address of client emails and Cognito invitations, verified in SES in the target region',
  spaOrigin: 'the SPA origin(s), comma-separated (https://app.example.com): CORS and the sign-in callback URLs',
} as const;

export const stackNameOf = (stage: string): string => `ClientMessages-${stage}`;

export interface StageSettings {
  readonly stage: string;
  /** `deploy`: `-c stage=<name>` was given; `test`: no stage, a synth for tests and reviews only. */
  readonly mode: 'deploy' | 'test';
  readonly stackName: string;
  readonly props: Omit<MessagesStackProps, 'areas'>;
}

/** A non-empty string from the CDK context, or undefined. */
function contextValue(scope: Construct, key: string): string | undefined {
  const value: unknown = scope.node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  return String(value).trim();
}

/**
 * The stage a synth is for, from the CDK context. With `-c stage=<name>` it is a deployment synth:
 * every value of REQUIRED_FOR_DEPLOYMENT must be given (one error names each missing one). Without
 * a stage it is a test synth: it works offline with placeholders, and its template refuses to be
 * deployed (see `refuseDeployment`).
 */
export function stageSettings(app: Construct): StageSettings {
  const stage = contextValue(app, 'stage');
  const alarmEmail = contextValue(app, 'alarmEmail');
  const smsSenderId = contextValue(app, 'smsSenderId');
  const limit = contextValue(app, 'smsSpendLimitUsd');
  const smsSpendLimitUsd = limit === undefined ? DEFAULT_SMS_SPEND_LIMIT_USD : Number(limit);
  if (!(smsSpendLimitUsd > 0)) throw new Error(`Context smsSpendLimitUsd must be a positive number of USD, not "${limit}"`);
  const shared = { alarmEmail, smsSenderId, smsSpendLimitUsd };

  if (stage === undefined) {
    return {
      stage: TEST_STAGE,
      mode: 'test',
      stackName: stackNameOf(TEST_STAGE),
      props: { ...shared, senderEmail: contextValue(app, 'senderEmail') ?? TEST_SENDER_EMAIL, spaOrigins: originsFromContext(contextValue(app, 'spaOrigin') ?? devSpaOrigin), userPoolEmail: 'cognito' },
    };
  }
  if (!STAGE.test(stage)) throw new Error(`Context stage "${stage}" must match ${STAGE} (it becomes part of every resource name)`);
  if (stage === TEST_STAGE) throw new Error(`Stage "${TEST_STAGE}" is the name of test synths; deploy under another name`);
  const missing = Object.entries(REQUIRED_FOR_DEPLOYMENT).filter(([key]) => contextValue(app, key) === undefined);
  if (missing.length > 0) {
    throw new Error(
      `Stage "${stage}" cannot be synthesized for deployment without: ` +
        missing.map(([key, what]) => `-c ${key}=... (${what})`).join('; ') +
        '. Set them on the command line or in cdk.context.json.',
    );
  }
  return {
    stage,
    mode: 'deploy',
    stackName: stackNameOf(stage),
    props: { ...shared, senderEmail: contextValue(app, 'senderEmail'), spaOrigins: originsFromContext(contextValue(app, 'spaOrigin')), userPoolEmail: 'ses' },
  };
}

/**
 * A CloudFormation rule that always fails: CloudFormation checks rules before it creates or
 * changes anything, so a test synth's template (placeholder sender, local SPA origin) cannot be
 * deployed by mistake with `cdk deploy` without a stage.
 */
export function refuseDeployment(stack: MessagesStack): void {
  new CfnRule(stack, 'TestSynthOnly', {
    assertions: [
      {
        assert: Fn.conditionEquals('test-synth', 'deployment'),
        assertDescription: 'This template is a test synth (no -c stage=<name>): synthesize it again with -c stage=<name> -c senderEmail=... -c spaOrigin=... to deploy',
      },
    ],
  });
}

/**
 * The app of bin/app.ts: one stack for the stage named in the context, and, when that stack is in a
 * known Region other than us-east-1, the stage's edge firewall in a stack of its own there
 * (CloudFront's web ACL must be in us-east-1).
 */
export function defineStage(app: App, props: Pick<MessagesStackProps, 'areas' | 'env'>): { stack: MessagesStack; settings: StageSettings; firewall?: EdgeFirewallStack } {
  const settings = stageSettings(app);
  const { env } = props;
  const firewall =
    env?.region && env.region !== 'us-east-1'
      ? new EdgeFirewallStack(app, `${settings.stackName}-edge`, {
          env: { ...env, region: 'us-east-1' },
          crossRegionReferences: true,
          description: `Automated client messages (${settings.stage}): the AWS WAF web ACL of the API edge`,
        })
      : undefined;
  const stack = new MessagesStack(app, settings.stackName, {
    description: `Automated client messages (${settings.stage}): records, HTTP API and messaging`,
    ...props,
    ...settings.props,
    stage: settings.stage,
    ...(firewall ? { webAclArn: firewall.firewall.webAclArn, crossRegionReferences: true } : {}),
  });
  if (settings.mode === 'test') refuseDeployment(stack);
  return { stack, settings, ...(firewall ? { firewall } : {}) };
}
