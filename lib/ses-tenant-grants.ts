import { Aws, Validations } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { resourceTagKeys } from '#adapters/ses/sender-identities.ts';
import type { AnyResourceGrant, MessagesFunction } from './messages-function.ts';

/**
 * IAM for the businesses' SES tenants and domain identities. The functions manage only what they
 * created: every tenant and identity is created with the tag `client-messages:stack` = the
 * deployment's tenant prefix (`aws:RequestTag`, with `aws:TagKeys` limited to this project's two
 * keys), identities are changed and deleted only while they carry it (`aws:ResourceTag`), and
 * tenants are named `<prefix>-…`, so `tenant/<prefix>-*` is exactly this deployment's tenants.
 */

/** The deployment's tenant prefix: its stack name, as SES tenant names allow (see `sesTenantNameOf`). */
export const sesTenantPrefixOf = (stackName: string): string => stackName.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 20);

export interface SesTenantArns {
  /** `identity/*`: a domain identity's ARN is its name, known only at runtime. */
  readonly identities: string;
  /** `identity/`, for the functions to build one identity's ARN. */
  readonly identityPrefix: string;
  readonly tenants: string;
  readonly configurationSet: string;
}

export function sesTenantArns(prefix: string, configurationSetArn: string): SesTenantArns {
  // From pseudo parameters, not the stack's region/account: the acknowledgements (sesWildcardFindings)
  // name them, and must match whether or not the stack has a concrete environment.
  const base = `arn:${Aws.PARTITION}:ses:${Aws.REGION}:${Aws.ACCOUNT_ID}`;
  return { identities: `${base}:identity/*`, identityPrefix: `${base}:identity/`, tenants: `${base}:tenant/${prefix}-*`, configurationSet: configurationSetArn };
}

const ownTagKeys = { 'ForAllValues:StringEquals': { 'aws:TagKeys': [resourceTagKeys.stack, resourceTagKeys.tenantId] } };

/** CreateTenant is authorized before the tenant has an ARN; the tags it is created with are what the condition checks. */
export const createTenantGrant: AnyResourceGrant = {
  actions: ['ses:CreateTenant'],
  why:
    'SES authorizes CreateTenant before the tenant exists, so Allow needs Resource "*"; the statement requires the ' +
    `tag ${resourceTagKeys.stack} = this deployment's prefix on the request and allows no other tag keys, so the role ` +
    'creates only tenants marked as its own, and manages only tenants named with its prefix',
};

const iam5Reason =
  'Domain identities are named by the businesses at runtime (the ARN is the domain), so the resource is every identity ' +
  `of the account and region; writes require the tag ${resourceTagKeys.stack} = this deployment's prefix (on create, aws:RequestTag; ` +
  'after, aws:ResourceTag). Tenants are named at runtime from the tenant id, under this deployment\'s prefix only.';

/** The wildcard resources as cdk-nag names them in its finding ids. */
export const sesWildcardFindings = (prefix: string): string[] =>
  ['identity/*', `tenant/${prefix}-*`].map((resource) => `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:${resource}]`);

const acknowledge = (fn: MessagesFunction, prefix: string): void => {
  for (const id of sesWildcardFindings(prefix)) Validations.of(fn.role).acknowledge({ id, reason: iam5Reason });
};

/** The settings area: create tenants and domain identities, associate them, read their state, delete the identities. */
export function grantSenderManagement(fn: MessagesFunction, arns: SesTenantArns, prefix: string): void {
  const ownRequest = { StringEquals: { [`aws:RequestTag/${resourceTagKeys.stack}`]: prefix }, ...ownTagKeys };
  const ownResource = { StringEquals: { [`aws:ResourceTag/${resourceTagKeys.stack}`]: prefix } };
  const statements = [
    new PolicyStatement({ effect: Effect.ALLOW, actions: ['ses:CreateTenant'], resources: ['*'], conditions: ownRequest }),
    new PolicyStatement({ effect: Effect.ALLOW, actions: ['ses:CreateEmailIdentity'], resources: [arns.identities], conditions: ownRequest }),
    // Tags given on create are authorized as TagResource too; never another deployment's resource.
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions: ['ses:TagResource'],
      resources: [arns.identities, arns.tenants],
      conditions: { ...ownRequest, StringEqualsIfExists: { [`aws:ResourceTag/${resourceTagKeys.stack}`]: prefix } },
    }),
    // Read to tell our identity from another owner's (its tags) and to follow its verification.
    new PolicyStatement({ effect: Effect.ALLOW, actions: ['ses:GetEmailIdentity'], resources: [arns.identities] }),
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions: ['ses:DeleteEmailIdentity', 'ses:CreateTenantResourceAssociation', 'ses:DeleteTenantResourceAssociation'],
      resources: [arns.identities],
      conditions: ownResource,
    }),
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions: ['ses:CreateTenantResourceAssociation', 'ses:DeleteTenantResourceAssociation', 'ses:GetTenant', 'ses:GetReputationEntity'],
      resources: [arns.tenants],
    }),
    new PolicyStatement({ effect: Effect.ALLOW, actions: ['ses:CreateTenantResourceAssociation'], resources: [arns.configurationSet] }),
  ];
  for (const statement of statements) fn.grantPrincipal.addToPrincipalPolicy(statement);
  acknowledge(fn, prefix);
}

/**
 * Message delivery: send as a business's tenant (SendEmail with TenantName is authorized on the
 * tenant too), from any identity of the account, but only with one of this deployment's tenants
 * named; SES itself sends through a tenant only from identities associated with it.
 */
export function grantTenantSending(fn: MessagesFunction, arns: SesTenantArns, prefix: string): void {
  fn.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions: ['ses:SendEmail'],
      resources: [arns.identities, arns.configurationSet, arns.tenants],
      conditions: { StringLike: { 'ses:TenantName': `${prefix}-*` } },
    }),
  );
  acknowledge(fn, prefix);
}
