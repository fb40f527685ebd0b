import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { apiAreas } from '#api/catalog.ts';
import { defineStage } from '#infra/stage.ts';

// The CDK app: `npx cdk synth` / `npx cdk deploy` run this file (see cdk.json). Synthesis needs no
// AWS account: functions are bundled by the local esbuild and the stack is environment-agnostic
// unless the CLI supplies an account and region. `-c stage=<name>` makes it a deployment synth of
// that stage (lib/stage.ts says what it requires); without a stage it is a test synth.
const app = new App();

defineStage(app, {
  areas: apiAreas,
  env:
    process.env.CDK_DEFAULT_ACCOUNT && process.env.CDK_DEFAULT_REGION
      ? { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION }
      : undefined,
});

// cdk-nag 3 runs as a policy-validation plugin: any unacknowledged finding fails the synth.
// Acknowledgements live next to the resources they concern, in lib/.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
