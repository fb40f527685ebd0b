import { describe, it, expect } from 'vitest';
import { App, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import type { IConstruct } from 'constructs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { MessagesStack, type ApiAreaSpec } from '#infra/messages-stack.ts';
import { apiAreas, type AreaResource } from '#api/catalog.ts';
import { sesWildcardFindings } from '#infra/ses-tenant-grants.ts';
import { appLikeCli } from './support.ts';
import { PROVIDER_ID } from '#infra/sms-delivery-status.ts';

// cdk-nag 3 is a policy-validation plugin, not an Aspect: its findings never become Annotations.
// It is registered exactly as bin/app.ts does; synth throws on any unacknowledged finding, and
// `validateScope` returns the same findings as data so a failure names them.
// The real route catalog: one function per area, one API route per catalog route.
const areas: readonly ApiAreaSpec[] = apiAreas;
const app = appLikeCli();
const stack = new MessagesStack(app, 'ClientMessages', { areas });
const checks = new AwsSolutionsChecks(app);
Validations.of(app).addPlugins(checks);
let synthError: unknown;
try {
  app.synth();
} catch (error) {
  synthError = error;
}
const report = checks.validateScope(app);
const describeFindings = (severity: string): string[] =>
  report.violations
    .filter((v) => v.severity === severity)
    .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}: ${v.description}`));

interface Acknowledgement {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}
const acknowledgements = (root: IConstruct): Acknowledgement[] =>
  root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );

describe('cdk-nag AwsSolutions', () => {
  it('finds no unacknowledged errors', () => {
    expect(describeFindings('error')).toEqual([]);
  });

  it('finds no unacknowledged warnings', () => {
    expect(describeFindings('warning')).toEqual([]);
  });

  it('lets `cdk synth` pass with the checks registered as in bin/app.ts', () => {
    expect(synthError).toBeUndefined();
  });

  it('does report findings on a non-compliant resource (the checks are live)', () => {
    const bare = new App();
    new UserPool(new Stack(bare, 'Bare'), 'Pool');
    const rules = new AwsSolutionsChecks(bare).validateScope(bare).violations.map((v) => v.ruleName);
    expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-COG1', 'AwsSolutions-COG2', 'AwsSolutions-COG8']));
  });
});

describe('acknowledgements', () => {
  const acks = acknowledgements(app);

  it('sit on the resources they concern, never on the app or the whole stack', () => {
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.path, ack.id).not.toBe('');
      expect(ack.path, ack.id).not.toBe(stack.node.path);
    }
  });

  it('each give a concrete reason', () => {
    for (const ack of acks) expect(ack.reason.length, `${ack.id} at ${ack.path}`).toBeGreaterThanOrEqual(60);
  });

  it('are exactly the reviewed set: Plus tier, "*" resources on each function role, the evaluator\'s and delivery\'s schedules, each public route, the dead-letter destinations, document and import keys, the access-log bucket, the edge, the unsubscribe key', () => {
    const publicRoutes = areas.flatMap((a) => a.routes.filter((r) => r.auth === 'public'));
    const functionRoles = [...areas.map(({ area }) => stack.functions.get(area)!), stack.evaluator.fn, stack.delivery.fn, stack.delivery.emailEvents.fn, stack.imports.fn].map((fn) => fn.role.node.path);
    const rolesUsing = (...resources: AreaResource[]) =>
      areas.filter(({ uses = [] }) => resources.some((resource) => uses.includes(resource))).map(({ area }) => stack.functions.get(area)!.role.node.path);
    const documentRoles = rolesUsing('document-uploads', 'document-downloads');
    const bucketId = stack.getLogicalId(stack.documents.bucket.node.defaultChild as CfnElement);
    const expected = [
      // Documents are keyed per upload at runtime: every key under documents/ of the documents bucket.
      ...documentRoles.map((path) => `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/documents/*] ${path}`),
      // Uploads are staged under their own prefix until confirmed: every key under uploads/.
      ...rolesUsing('document-uploads').map((path) => `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/uploads/*] ${path}`),
      // Import files and reports are keyed per import at runtime: every key under imports/, for the imports API and the worker.
      ...[...rolesUsing('import-files'), stack.imports.fn.role.node.path].map((path) => `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/imports/*] ${path}`),
      // The access-log bucket is the log destination; it does not log itself.
      `AwsSolutions-S1 ${stack.documents.accessLogs.node.path}`,
      'AwsSolutions-COG8 ClientMessages/Users/UserPool',
      ...functionRoles.map((path) => `AwsSolutions-IAM5[Resource::*] ${path}`),
      ...publicRoutes.map(() => 'AwsSolutions-APIG4'),
      // The edge: its origin secret is read at deploy time (no rotation), and the distribution's defaults.
      `AwsSolutions-SMG4 ${stack.edge.originSecret.node.path}`,
      // The unsubscribe links' signing key: rotating it would void the links of emails already sent.
      `AwsSolutions-SMG4 ${stack.unsubscribeKey.node.path}`,
      ...['CFR1', 'CFR3', 'CFR4'].map((rule) => `AwsSolutions-${rule} ${stack.edge.distribution.node.path}`),
      `AwsSolutions-SQS3 ${stack.evaluator.failures.node.path}`,
      // SMS delivery status logging: SNS's own log groups, an account setting with no ARN, and the provider function of AwsCustomResource.
      ...['', ':log-stream:*'].map(
        (tail) =>
          `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:sns/<AWS::Region>/<AWS::AccountId>/DirectPublishToPhoneNumber*${tail}] ${stack.delivery.smsDeliveryStatus.role.node.path}`,
      ),
      `AwsSolutions-IAM5[Resource::*] ${stack.delivery.smsDeliveryStatus.setting.node.path}`,
      `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole] ${stack.node.path}/${PROVIDER_ID}/ServiceRole`,
      `AwsSolutions-SQS3 ${stack.schedules.deadLetters.node.path}`,
      // Schedules are named at runtime, one per timed message: every schedule of the stack's own group, armed by the evaluator and re-armed by delivery at fire time.
      ...[stack.evaluator.fn, stack.delivery.fn].map(
        (fn) => `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${stack.schedules.group.scheduleGroupName}/*] ${fn.role.node.path}`,
      ),
      // Domain identities are named by the businesses, tenants from their ids under the deployment's prefix: managed by the settings area, sent as by delivery.
      ...[...rolesUsing('ses-tenants'), stack.delivery.fn.role.node.path].flatMap((path) => sesWildcardFindings(stack.delivery.sesTenants.prefix).map((id) => `${id} ${path}`)),
    ];
    const actual = acks.map((ack) => (ack.id === 'AwsSolutions-APIG4' ? ack.id : `${ack.id} ${ack.path}`));
    expect(actual.sort()).toEqual(expected.sort());
  });

  it('name every action a role allows on "*" in that role\'s IAM5 acknowledgement', () => {
    for (const fn of [...stack.functions.values(), stack.evaluator.fn, stack.delivery.fn, stack.delivery.emailEvents.fn]) {
      const ack = acks.find((a) => a.id === 'AwsSolutions-IAM5[Resource::*]' && a.path === fn.role.node.path);
      expect(ack, fn.node.path).toBeDefined();
      for (const action of fn.anyResourceActions) expect(ack!.reason, `${fn.node.path}: ${action}`).toContain(action);
    }
    const deliveryAck = acks.find((a) => a.path === stack.delivery.fn.role.node.path)!;
    expect(deliveryAck.reason).toMatch(/Deny of sns:Publish on arn:<partition>:sns:\*:\*:\*/);
  });
});
