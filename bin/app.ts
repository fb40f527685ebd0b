import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { apiAreas } from '#api/catalog.ts';
import { MessagesStack } from '#infra/messages-stack.ts';
import { EdgeFirewallStack } from '#infra/edge-firewall.ts';

// The CDK app: `npx cdk synth` / `npx cdk deploy` run this file (see cdk.json). Synthesis needs no
// AWS account: functions are bundled by the local esbuild and the stack is environment-agnostic
// unless the CLI supplies an account and region.
const app = new App();

const env =
  process.env.CDK_DEFAULT_ACCOUNT && process.env.CDK_DEFAULT_REGION ? { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION } : undefined;
// CloudFront's web ACL must be in us-east-1: outside it, the firewall gets a stack of its own there.
const firewall =
  env && env.region !== 'us-east-1'
    ? new EdgeFirewallStack(app, 'ClientMessagesEdge', { env: { account: env.account, region: 'us-east-1' }, crossRegionReferences: true, description: 'Automated client messages: the AWS WAF web ACL of the API edge' })
    : undefined;

new MessagesStack(app, 'ClientMessages', {
  description: 'Automated client messages: records, HTTP API and messaging',
  areas: apiAreas,
  env,
  ...(firewall ? { webAclArn: firewall.firewall.webAclArn, crossRegionReferences: true } : {}),
});

// cdk-nag 3 runs as a policy-validation plugin: any unacknowledged finding fails the synth.
// Acknowledgements live next to the resources they concern, in lib/.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
