import { Duration } from 'aws-cdk-lib';
import { ArnPrincipal, Effect, PolicyStatement, Role, type IRole } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { tenantKeyPatterns } from '#adapters/dynamodb/item-keys.ts';
import { TENANT_TAG } from '#adapters/sts/tenant-credentials.ts';
import { TABLE_DATA_ACTIONS, TABLE_READ_ACTIONS, type RecordsTable } from './records-table.ts';

/** The caller's tenant, as IAM reads it from the session tag of the tenant-data role's session. */
export const TENANT_TAG_VARIABLE = `\${aws:PrincipalTag/${TENANT_TAG}}`;

export interface TenantDataRoleProps {
  readonly records: RecordsTable;
  /** The API area's execution role: the only principal that may assume this role. */
  readonly executionRole: IRole;
  readonly access: 'read' | 'read-write';
  /**
   * Key patterns besides the tenant's own that the area reaches with the tenant's credentials:
   * global items written in the same transaction as a tenant's item (one credential signs it all),
   * or counters whose key starts with the tenant (`${TENANT_TAG_VARIABLE}` allowed). @default none
   */
  readonly alsoKeys?: readonly string[];
}

/**
 * The role an API area's function acts for one tenant with (functions/adapters/sts/tenant-credentials.ts):
 * assumable only by that function's execution role, only with a `tenantId` session tag and no other
 * tag, and allowed the area's table actions (no Scan) only on keys `T#<tenant>` and `T#<tenant>#…`
 * (plus `alsoKeys`), the tenant being the session's tag. A bug that passes another tenant's id to
 * the store gets AccessDeniedException from DynamoDB.
 */
export class TenantDataRole extends Construct {
  readonly role: Role;

  constructor(scope: Construct, id: string, props: TenantDataRoleProps) {
    super(scope, id);
    const tagPresent = { StringLike: { [`aws:RequestTag/${TENANT_TAG}`]: '?*' }, 'ForAllValues:StringEquals': { 'aws:TagKeys': [TENANT_TAG] } };
    this.role = new Role(this, 'Role', {
      assumedBy: new ArnPrincipal(props.executionRole.roleArn).withSessionTags().withConditions(tagPresent),
      description: `Tenant-scoped table access of ${scope.node.path} (session tag ${TENANT_TAG})`,
      // Role chaining (a Lambda role assuming another) caps sessions at an hour; the function asks for 15 minutes.
      maxSessionDuration: Duration.hours(1),
    });
    props.records.grantOnKeys(
      this.role,
      props.access === 'read-write' ? TABLE_DATA_ACTIONS : TABLE_READ_ACTIONS,
      [...tenantKeyPatterns(TENANT_TAG_VARIABLE), ...(props.alsoKeys ?? [])],
      // An untagged or empty-tagged session would make the patterns `T#` and `T#*`: every tenant.
      { StringLike: { [`aws:PrincipalTag/${TENANT_TAG}`]: '?*' } },
    );
    props.executionRole.addToPrincipalPolicy(
      new PolicyStatement({ effect: Effect.ALLOW, actions: ['sts:AssumeRole', 'sts:TagSession'], resources: [this.role.roleArn], conditions: tagPresent }),
    );
  }
}
