import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { CfnResource } from './support.ts';

/**
 * Offline evaluation of the synthesized template's IAM policies with @cloud-copilot/iam-simulate:
 * a role's policies (CloudFormation intrinsics resolved to test ARNs) against the request a
 * DynamoDB command makes, its leading keys and the session's tenant tag as context keys.
 */

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';
export const TABLE_ARN = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/records`;
export const roleArnOf = (roleId: string) => `arn:aws:iam::${ACCOUNT}:role/${roleId}`;
export const bucketArnOf = (bucketId: string) => `arn:aws:s3:::${bucketId.toLowerCase()}`;

type Json = unknown;

/** The template's intrinsics as plain strings: the records table's ARN, roles' ARNs by logical id, pseudo parameters. */
export function resolver(resources: Record<string, CfnResource>) {
  const tableId = Object.entries(resources).find(([, r]) => r.Type === 'AWS::DynamoDB::Table')![0];
  const resolve = (value: Json): Json => {
    if (Array.isArray(value)) return value.map(resolve);
    if (value === null || typeof value !== 'object') return value;
    const object = value as Record<string, Json>;
    if ('Fn::GetAtt' in object) {
      const [id, attribute] = object['Fn::GetAtt'] as [string, string];
      if (id === tableId && attribute === 'Arn') return TABLE_ARN;
      if (resources[id]?.Type === 'AWS::IAM::Role' && attribute === 'Arn') return roleArnOf(id);
      if (resources[id]?.Type === 'AWS::S3::Bucket' && attribute === 'Arn') return bucketArnOf(id);
      return `arn:aws:unresolved:::${id}.${attribute}`;
    }
    if ('Fn::Join' in object) {
      const [separator, parts] = object['Fn::Join'] as [string, Json[]];
      return parts.map((part) => String(resolve(part))).join(separator);
    }
    if ('Ref' in object) {
      const pseudo: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::Region': REGION, 'AWS::AccountId': ACCOUNT, 'AWS::URLSuffix': 'amazonaws.com' };
      return pseudo[object.Ref as string] ?? `unresolved-${String(object.Ref)}`;
    }
    return Object.fromEntries(Object.entries(object).map(([key, inner]) => [key, resolve(inner)]));
  };
  return resolve;
}

/** The identity policies attached to a role, intrinsics resolved. */
export function policiesOfRole(resources: Record<string, CfnResource>, roleId: string): { name: string; policy: Json }[] {
  const resolve = resolver(resources);
  return Object.entries(resources)
    .filter(([, r]) => r.Type === 'AWS::IAM::Policy' && (r.Properties.Roles as Json[]).some((role) => JSON.stringify(role) === JSON.stringify({ Ref: roleId })))
    .map(([name, r]) => ({ name, policy: resolve(r.Properties.PolicyDocument) }));
}

/** One authorization DynamoDB makes: a transaction is one per item, each as its own action. */
export interface TableRequest {
  readonly action: string;
  readonly resource: string;
  readonly leadingKeys: readonly string[];
  /** Other context keys of the request (e.g. `s3:prefix` of a listing). */
  readonly context?: Record<string, string>;
}

type Input = Record<string, any>;
const partitionOf = (item: Input | undefined): string[] => (typeof item?.pk === 'string' ? [item.pk] : []);
const resourceOf = (input: Input) => (input.IndexName ? `${TABLE_ARN}/index/${input.IndexName}` : TABLE_ARN);

/** The requests a lib-dynamodb command is authorized as, from its class name and input. */
export function tableRequestsOf(command: { constructor: { name: string }; input: unknown }): TableRequest[] {
  const input = command.input as Input;
  switch (command.constructor.name) {
    case 'GetCommand':
      return [{ action: 'dynamodb:GetItem', resource: TABLE_ARN, leadingKeys: partitionOf(input.Key) }];
    case 'PutCommand':
      return [{ action: 'dynamodb:PutItem', resource: TABLE_ARN, leadingKeys: partitionOf(input.Item) }];
    case 'UpdateCommand':
      return [{ action: 'dynamodb:UpdateItem', resource: TABLE_ARN, leadingKeys: partitionOf(input.Key) }];
    case 'DeleteCommand':
      return [{ action: 'dynamodb:DeleteItem', resource: TABLE_ARN, leadingKeys: partitionOf(input.Key) }];
    case 'ScanCommand':
      return [{ action: 'dynamodb:Scan', resource: resourceOf(input), leadingKeys: [] }];
    case 'QueryCommand': {
      // The partition key's equality comes first in every key condition this project writes.
      const placeholder = /^\s*#?\w+\s*=\s*(:\w+)/.exec(String(input.KeyConditionExpression))?.[1];
      return [{ action: 'dynamodb:Query', resource: resourceOf(input), leadingKeys: placeholder ? [String(input.ExpressionAttributeValues[placeholder])] : [] }];
    }
    case 'BatchGetCommand':
      return [{ action: 'dynamodb:BatchGetItem', resource: TABLE_ARN, leadingKeys: Object.values(input.RequestItems as Record<string, { Keys: Input[] }>).flatMap((r) => r.Keys.flatMap(partitionOf)) }];
    case 'TransactWriteCommand':
      return (input.TransactItems as Input[]).map((item) => {
        if (item.Put) return { action: 'dynamodb:PutItem', resource: TABLE_ARN, leadingKeys: partitionOf(item.Put.Item) };
        if (item.Update) return { action: 'dynamodb:UpdateItem', resource: TABLE_ARN, leadingKeys: partitionOf(item.Update.Key) };
        if (item.Delete) return { action: 'dynamodb:DeleteItem', resource: TABLE_ARN, leadingKeys: partitionOf(item.Delete.Key) };
        return { action: 'dynamodb:ConditionCheckItem', resource: TABLE_ARN, leadingKeys: partitionOf(item.ConditionCheck.Key) };
      });
    default:
      throw new Error(`tableRequestsOf: no mapping for ${command.constructor.name}`);
  }
}

export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

/**
 * What IAM decides for `request` made by `principal` under `policies`, its session tagged with
 * `tenantTag` (none: an untagged session, e.g. a Lambda execution role's).
 */
export async function decide(policies: { name: string; policy: Json }[], principal: string, request: TableRequest, tenantTag?: string): Promise<Decision> {
  const contextVariables: Record<string, string | string[]> = { ...request.context };
  if (request.leadingKeys.length > 0) contextVariables['dynamodb:LeadingKeys'] = [...request.leadingKeys];
  if (tenantTag !== undefined) contextVariables['aws:PrincipalTag/tenantId'] = tenantTag;
  const result = await runSimulation(
    {
      identityPolicies: policies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      request: { action: request.action, principal, resource: { accountId: ACCOUNT, resource: request.resource }, contextVariables },
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(`simulation refused its input: ${JSON.stringify(result.errors)}`);
  return result.overallResult as Decision;
}

/** Every request of a command decided; the command goes through only if each is allowed. */
export async function decideAll(policies: { name: string; policy: Json }[], principal: string, requests: readonly TableRequest[], tenantTag?: string): Promise<Decision[]> {
  return Promise.all(requests.map((request) => decide(policies, principal, request, tenantTag)));
}
