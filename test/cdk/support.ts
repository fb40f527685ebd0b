import { App, type CfnResource as CdkCfnResource, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { readFileSync } from 'node:fs';

/** An App with the same context (feature flags, spaOrigin) that `cdk synth` reads from cdk.json. */
export function appLikeCli(extraContext: Record<string, unknown> = {}): App {
  const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return new App({ context: { ...cdkJson.context, ...extraContext } });
}

/**
 * Context that skips esbuild bundling (assets get a placeholder hash): for tests of the template's
 * shape that do not need the bundles, so their synth takes a fraction of a second.
 */
export const SKIP_BUNDLING = { 'aws:cdk:bundling-stacks': [] } as const;

export type CfnResource = { Type: string; Properties: Record<string, any>; DependsOn?: string[]; DeletionPolicy?: string; UpdateReplacePolicy?: string };

/** One action on one resource, from an IAM policy statement. */
export interface Grant {
  readonly policy: string;
  readonly effect: string;
  readonly action: string;
  readonly resource: unknown;
  readonly condition?: unknown;
}

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Every (action, resource) pair granted by the AWS::IAM::Policy resources, or only those attached to `roleId`. */
export function grantsOf(resources: Record<string, CfnResource>, roleId?: string): Grant[] {
  return Object.entries(resources)
    .filter(([, r]) => r.Type === 'AWS::IAM::Policy')
    .filter(([, r]) => roleId === undefined || (r.Properties.Roles as unknown[]).some((role) => JSON.stringify(role) === JSON.stringify({ Ref: roleId })))
    .flatMap(([policy, r]) =>
      (r.Properties.PolicyDocument.Statement as Statement[]).flatMap((s) =>
        list(s.Action).flatMap((action) =>
          list(s.Resource).map((resource) => ({ policy, effect: s.Effect, action, resource, condition: s.Condition })),
        ),
      ),
    );
}

type Construct = { node: { defaultChild?: unknown } };

/** A stack's template with the lookups the template tests share. */
export function templateOf(stack: Stack) {
  const template = Template.fromStack(stack);
  const resources = template.toJSON().Resources as Record<string, CfnResource>;
  const idOf = (construct: Construct): string => stack.getLogicalId(construct.node.defaultChild as CdkCfnResource);
  return {
    template,
    resources,
    ofType: (type: string): [string, CfnResource][] => Object.entries(resources).filter(([, r]) => r.Type === type),
    idOf,
    arnOf: (construct: Construct) => ({ 'Fn::GetAtt': [idOf(construct), 'Arn'] }),
  };
}
