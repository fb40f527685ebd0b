import { describe, it, expect } from 'vitest';
import { Template } from 'aws-cdk-lib/assertions';
import { apiAreas } from '#api/catalog.ts';
import { defineStage, REQUIRED_FOR_DEPLOYMENT, stackNameOf, TEST_SENDER_EMAIL } from '#infra/stage.ts';
import { appLikeCli, SKIP_BUNDLING, type CfnResource } from './support.ts';

// bin/app.ts's stage handling, synthesized as `cdk synth -c stage=...` would (bundling skipped: the
// names and the context checks do not depend on the bundles).
const deployContext = { senderEmail: 'no-reply@salon.example', spaOrigin: 'https://app.salon.example' };
const synth = (context: Record<string, unknown>) => {
  const { stack, settings } = defineStage(appLikeCli({ ...SKIP_BUNDLING, ...context }), { areas: apiAreas });
  return { stack, settings, template: Template.fromStack(stack).toJSON() as { Resources: Record<string, CfnResource>; Outputs: Record<string, unknown>; Rules?: Record<string, unknown> } };
};

/**
 * The property that is a resource's physical name, unique in an account and region, for each type
 * that has one (CloudFormation generates the name when it is absent).
 */
const physicalNameProperty: Readonly<Record<string, string>> = {
  'AWS::ApiGatewayV2::Api': 'Name',
  'AWS::CloudWatch::Alarm': 'AlarmName',
  'AWS::CloudWatch::Dashboard': 'DashboardName',
  'AWS::Cognito::UserPool': 'UserPoolName',
  'AWS::Cognito::UserPoolDomain': 'Domain',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::Events::Rule': 'Name',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::KMS::Alias': 'AliasName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::Scheduler::ScheduleGroup': 'Name',
  'AWS::SecretsManager::Secret': 'Name',
  'AWS::SES::ConfigurationSet': 'Name',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::SQS::Queue': 'QueueName',
};

/** The physical name CloudFormation gives a resource of the template (it has no explicit one): unique per stack. */
const isGeneratedName = (resources: Record<string, CfnResource>, id: string): boolean => {
  const resource = resources[id];
  const property = resource === undefined ? undefined : physicalNameProperty[resource.Type];
  return property !== undefined && resource!.Properties?.[property] === undefined;
};

/**
 * A name built only of literals and the generated name of another resource of the template (as
 * `/aws/lambda/<function name>`, the log group aws-cdk-lib makes for AwsCustomResource's provider
 * function): as unique per stack as that generated name.
 */
const isDerivedFromGeneratedName = (resources: Record<string, CfnResource>, value: unknown): boolean => {
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join === undefined) return false;
  const refs = join[1].filter((part) => typeof part !== 'string') as { Ref?: string }[];
  return refs.length > 0 && refs.every((part) => Object.keys(part).length === 1 && part.Ref !== undefined && isGeneratedName(resources, part.Ref));
};

/** Every explicit physical name of a template, as `type.property=value`. */
function explicitNames(resources: Record<string, CfnResource>): string[] {
  return Object.values(resources).flatMap((resource) => {
    const property = physicalNameProperty[resource.Type];
    const value = property === undefined ? undefined : resource.Properties?.[property];
    return value === undefined || isDerivedFromGeneratedName(resources, value) ? [] : [`${resource.Type}.${property}=${JSON.stringify(value)}`];
  });
}

describe('stages', () => {
  const staging = synth({ stage: 'staging', ...deployContext });
  const prod = synth({ stage: 'prod', ...deployContext });

  it('names the stack after the stage', () => {
    expect(staging.stack.stackName).toBe(stackNameOf('staging'));
    expect(prod.stack.stackName).toBe('ClientMessages-prod');
    expect(staging.settings.mode).toBe('deploy');
  });

  it('gives two stages no physical name in common, so they live side by side in one account and region', () => {
    const names = (template: typeof staging.template) => new Set(explicitNames(template.Resources));
    const stagingNames = names(staging.template);
    // The schedule group, the API and the dashboard at least are named explicitly.
    expect([...stagingNames].some((name) => name.startsWith('AWS::Scheduler::ScheduleGroup.Name='))).toBe(true);
    expect([...stagingNames].some((name) => name.startsWith('AWS::ApiGatewayV2::Api.Name='))).toBe(true);
    expect([...stagingNames].some((name) => name.startsWith('AWS::CloudWatch::Dashboard.DashboardName='))).toBe(true);
    for (const name of stagingNames) expect(name).toMatch(/staging/);
    expect([...names(prod.template)].filter((name) => stagingNames.has(name))).toEqual([]);
  });

  it('refuses a deployment synth without the sender and the SPA origin, naming each', () => {
    const attempt = () => synth({ stage: 'prod' });
    expect(attempt).toThrow(/-c senderEmail=/);
    expect(attempt).toThrow(/-c spaOrigin=/);
    expect(() => synth({ stage: 'prod', senderEmail: deployContext.senderEmail })).toThrow(/spaOrigin/);
    expect(() => synth({ stage: 'prod', senderEmail: deployContext.senderEmail })).not.toThrow(/-c senderEmail/);
    expect(Object.keys(REQUIRED_FOR_DEPLOYMENT).sort()).toEqual(['senderEmail', 'spaOrigin']);
  });

  it('refuses stage names that cannot be part of resource names, and the test stage', () => {
    for (const stage of ['Prod', 'pr_1', '1st', 'a'.repeat(21)]) expect(() => synth({ stage, ...deployContext }), stage).toThrow(/must match/);
    expect(() => synth({ stage: 'test', ...deployContext })).toThrow(/test synths/);
  });

  it('gives the SPA what it needs in outputs: API URL, region, user pool and client', () => {
    for (const output of ['ApiUrl', 'Region', 'UserPoolId', 'UserPoolClientId', 'Stage']) expect(prod.template.Outputs, output).toHaveProperty(output);
    expect(prod.template.Outputs.Stage).toMatchObject({ Value: 'prod' });
  });

  it('sends Cognito email through SES from the sender address in a deployed stage', () => {
    const [pool] = Object.values(prod.template.Resources).filter((r) => r.Type === 'AWS::Cognito::UserPool');
    expect(pool!.Properties.EmailConfiguration).toMatchObject({ EmailSendingAccount: 'DEVELOPER', From: deployContext.senderEmail });
    expect(JSON.stringify(pool!.Properties.EmailConfiguration.SourceArn)).toContain(`:identity/${deployContext.senderEmail}`);
  });

  it('does not let a deployment template carry the test-synth guard', () => {
    expect(prod.template.Rules ?? {}).not.toHaveProperty('TestSynthOnly');
  });
});

describe('a test synth (no stage)', () => {
  const test = synth({});

  it('works offline with placeholders, and its template refuses to be deployed', () => {
    expect(test.settings.mode).toBe('test');
    expect(test.stack.stackName).toBe('ClientMessages-test');
    const delivery = Object.values(test.template.Resources).find((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Environment?.Variables?.SENDER_EMAIL);
    expect(delivery!.Properties.Environment.Variables.SENDER_EMAIL).toBe(TEST_SENDER_EMAIL);
    expect(test.template.Rules?.TestSynthOnly).toMatchObject({
      Assertions: [{ Assert: { 'Fn::Equals': ['test-synth', 'deployment'] }, AssertDescription: expect.stringMatching(/-c stage=<name>/) }],
    });
  });

  it('keeps Cognito\'s own sender', () => {
    const [pool] = Object.values(test.template.Resources).filter((r) => r.Type === 'AWS::Cognito::UserPool');
    expect(pool!.Properties.EmailConfiguration).toBeUndefined();
  });

  it('refuses an SMS spend limit that is not a positive number', () => {
    expect(() => synth({ smsSpendLimitUsd: 'lots' })).toThrow(/smsSpendLimitUsd/);
    expect(() => synth({ smsSpendLimitUsd: 0 })).toThrow(/smsSpendLimitUsd/);
  });
});
