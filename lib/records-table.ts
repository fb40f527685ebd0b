import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { tableDesign, type IndexName } from '#adapters/dynamodb/table-design.ts';

/**
 * Item-level actions an API function needs: reads, writes and conditional checks (transactions are
 * authorised through these same actions). Deliberately absent: Scan (it crosses tenants), the stream
 * actions (only the rule evaluator reads the stream) and every table-management action.
 */
export const TABLE_DATA_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
] as const;

/** Item reads on the table itself: what the rule evaluator needs to load rules and settings. */
export const TABLE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'] as const;

/** The only action that applies to a global secondary index. */
export const INDEX_DATA_ACTIONS = ['dynamodb:Query'] as const;

/**
 * What limits a statement to the items whose partition key (of the table, or of the index queried)
 * matches one of `patterns` (IAM StringLike, policy variables allowed).
 */
export function leadingKeysCondition(patterns: readonly string[]): Record<string, Record<string, unknown>> {
  return {
    'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...patterns] },
    // ForAllValues holds for a request with no leading key at all: one is required.
    Null: { 'dynamodb:LeadingKeys': 'false' },
  };
}

/**
 * The single table that holds every tenant's records, built from the same `tableDesign` the local
 * stack uses, so DynamoDB Local and AWS have identical keys and indexes.
 */
export class RecordsTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.table = new Table(this, 'Table', {
      partitionKey: { name: tableDesign.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableDesign.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // The rule evaluator turns each old/new image pair into domain events.
      stream: StreamViewType.NEW_AND_OLD_IMAGES,
      timeToLiveAttribute: tableDesign.timeToLiveAttribute,
      removalPolicy: RemovalPolicy.RETAIN,
      deletionProtection: true,
    });

    for (const index of tableDesign.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
  }

  /** ARNs of the table's indexes, named one by one so no policy needs a wildcard. */
  indexArns(): string[] {
    return tableDesign.indexes.map((index) => this.indexArn(index.name));
  }

  indexArn(name: IndexName): string {
    return `${this.table.tableArn}/index/${name}`;
  }

  /** Read items of the table (not its indexes): no write, Scan, stream or table-management action. */
  grantItemRead(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ effect: Effect.ALLOW, actions: [...TABLE_READ_ACTIONS], resources: [this.table.tableArn] }),
    );
  }

  /** Query one index (the only data action an index supports). */
  grantIndexQuery(grantee: IGrantable, name: IndexName): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ effect: Effect.ALLOW, actions: [...INDEX_DATA_ACTIONS], resources: [this.indexArn(name)] }),
    );
  }

  /** Put whole items on the table: no update, delete or batch write. */
  grantItemPut(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ effect: Effect.ALLOW, actions: ['dynamodb:PutItem'], resources: [this.table.tableArn] }),
    );
  }

  /** Update items of the table, nothing else: no read, put, delete or index query. */
  grantItemUpdate(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ effect: Effect.ALLOW, actions: ['dynamodb:UpdateItem'], resources: [this.table.tableArn] }),
    );
  }

  /**
   * `actions` only on items whose partition key matches `patterns`: on the table, and Query (if
   * among them) on its indexes, whose partitions the same patterns cover. `conditions` are added.
   */
  grantOnKeys(grantee: IGrantable, actions: readonly string[], patterns: readonly string[], conditions: Record<string, Record<string, unknown>> = {}): void {
    const scoped = { ...leadingKeysCondition(patterns), ...conditions };
    grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: [...actions], resources: [this.table.tableArn], conditions: scoped }));
    const indexActions = actions.filter((action) => (INDEX_DATA_ACTIONS as readonly string[]).includes(action));
    if (indexActions.length > 0) {
      grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: indexActions, resources: this.indexArns(), conditions: scoped }));
    }
  }

  /** Read and write items (no Scan, no stream, no table management). */
  grantItemReadWrite(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ effect: Effect.ALLOW, actions: [...TABLE_DATA_ACTIONS], resources: [this.table.tableArn] }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ effect: Effect.ALLOW, actions: [...INDEX_DATA_ACTIONS], resources: this.indexArns() }),
    );
  }
}
