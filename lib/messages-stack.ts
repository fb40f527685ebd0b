import { Aws, CfnOutput, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { AreaResource, TableAccess } from '#api/catalog.ts';
import { defaultPublicRateLimit, defaultPublicSenderRateLimit, publicBusinessCounter, publicSenderCounter, unsubscribeCounter, type RateLimit } from '#domain/rate-limit.ts';
import { slugClaim } from '#domain/settings.ts';
import { senderDomainClaim } from '#domain/sender.ts';
import { globalClaimPattern } from '#adapters/dynamodb/item-keys.ts';
import { rateCounterPartition } from '#adapters/dynamodb/rate-limiter.ts';
import { DocumentsBucket } from './documents-bucket.ts';
import { createTenantGrant, grantSenderManagement } from './ses-tenant-grants.ts';
import type { AnyResourceGrant } from './messages-function.ts';
import { apiCors, apiOrigins, devSpaOrigin } from '#http/cors.ts';
import { assertOrigin, TenantHttpApi, type RouteSpec, type StageThrottle } from './http-api.ts';
import { DELIVERY_MAX_RECEIVES, MessageDelivery } from './message-delivery.ts';
import { ClientImportWorker, IMPORT_MAX_RECEIVES } from './client-import.ts';
import { EMAIL_EVENTS_RETRY } from './email-events.ts';
import { MessageSchedules, SCHEDULE_RETRY } from './message-schedules.ts';
import { MessagesFunction, projectRoot } from './messages-function.ts';
import { DEFAULT_SMS_SPEND_LIMIT_USD, OperationsAlarms } from './operations-alarms.ts';
import { MessagesDashboard } from './messages-dashboard.ts';
import { EdgeFirewall } from './edge-firewall.ts';
import { PublicEdge } from './public-edge.ts';
import { RecordsTable } from './records-table.ts';
import { RuleEvaluator } from './rule-evaluator.ts';
import { TENANT_TAG_VARIABLE, TenantDataRole } from './tenant-data-role.ts';
import { TenantUserPool } from './tenant-user-pool.ts';

/** One API area of the route catalog: served by one Lambda, `functions/api/<area>.ts`. */
export interface ApiAreaSpec {
  readonly area: string;
  readonly routes: readonly RouteSpec[];
  /**
   * What the area's function may do on the records table, as the caller's tenant (its
   * TenantDataRole): `read` for areas that only read, `none` for areas that never touch it (e.g.
   * the OpenAPI document, which gets no tenant-data role). @default 'read-write'
   */
  readonly tableAccess?: TableAccess;
  /** What else the area's function uses; it gets the grants and environment of each. @default none */
  readonly uses?: readonly AreaResource[];
}

/** What a stack without a sender sends from (tests): a reserved domain (RFC 2606), never a real sender. */
export const TEST_SENDER_EMAIL = 'no-reply@example.invalid';
export const DEFAULT_FUNCTIONS_DIR = path.join(projectRoot, 'functions');
/** Where in the functions folder the API areas' modules are, one `<area>.ts` each. */
export const AREAS_DIR = 'api';
/** Entry modules of the message path, in the functions folder. */
export const EVALUATOR_MODULE = path.join('lambdas', 'rule-evaluator.ts');
export const DELIVERY_MODULE = path.join('lambdas', 'message-delivery.ts');
export const EMAIL_EVENTS_MODULE = path.join('lambdas', 'email-events.ts');
export const IMPORT_MODULE = path.join('lambdas', 'client-import.ts');

export interface MessagesStackProps extends StackProps {
  /** The route catalog (`apiAreas` of functions/api/catalog.ts). */
  readonly areas: readonly ApiAreaSpec[];
  /**
   * Folder holding the areas' `api/<area>.ts` entry files and the message path's `lambdas/rule-evaluator.ts`,
   * `lambdas/message-delivery.ts` and `lambdas/email-events.ts`.
   * @default functions of this repository
   */
  readonly functionsDir?: string;
  /**
   * Origins of the SPA allowed by CORS and as sign-in callbacks.
   * @default context `spaOrigin` (comma-separated), else http://localhost:5173
   */
  readonly spaOrigins?: readonly string[];
  /** @default DEFAULT_THROTTLE of http-api.ts */
  readonly throttle?: StageThrottle;
  /** @default DEFAULT_PUBLIC_ROUTE_THROTTLE of http-api.ts */
  readonly publicRouteThrottle?: StageThrottle;
  /** Per-tenant limit of public requests, counted by the functions that use `public-rate-limit`. @default defaultPublicRateLimit of #domain/rate-limit.ts */
  readonly publicRateLimit?: RateLimit;
  /** Public requests one sender (IP address, IPv6 /64) may send one business per window of `publicRateLimit`. @default defaultPublicSenderRateLimit of #domain/rate-limit.ts */
  readonly publicSenderRateLimit?: number;
  /**
   * From address of client emails; it or its domain must be verified in SES.
   * @default context `senderEmail`, else TEST_SENDER_EMAIL (lib/stage.ts requires one for deployment)
   */
  readonly senderEmail?: string;
  /** The stage this stack is (lib/stage.ts); named in the dashboard and metrics. @default the stack name */
  readonly stage?: string;
  /**
   * Who sends Cognito's emails (invitations, password resets): `ses`, SES with `senderEmail` (deployed
   * stages: Cognito's own sender allows about 50 a day); `cognito`, Cognito's default sender.
   * @default 'cognito'
   */
  readonly userPoolEmail?: 'ses' | 'cognito';
  /** The account's monthly SMS spending quota in USD; the SMS spend alarm fires at 80 % of it. @default 1 (AWS's default quota) */
  readonly smsSpendLimitUsd?: number;
  /** SMS sender ID where supported. @default context `smsSenderId`, else none */
  readonly smsSenderId?: string;
  /** Address the operations alarms email. @default context `alarmEmail`, else alarms notify nobody */
  readonly alarmEmail?: string;
  /**
   * The edge's AWS WAF web ACL (EdgeFirewallStack, in us-east-1), for a stack in another Region.
   * @default a web ACL in this stack, which then must be deployed in us-east-1
   */
  readonly webAclArn?: string;
}

const AREA_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * The whole deployed system: records table, documents bucket, tenant sign-in, HTTP API with one
 * function per API area, and the message path (table stream -> rule evaluator -> delivery queue,
 * now or through a one-time schedule -> delivery) with its alarms.
 */
export class MessagesStack extends Stack {
  readonly records: RecordsTable;
  readonly documents: DocumentsBucket;
  readonly users: TenantUserPool;
  readonly httpApi: TenantHttpApi;
  /** The API's public address: CloudFront with AWS WAF; public routes answer only through it. */
  readonly edge: PublicEdge;
  /** The function serving each area, by area name. */
  readonly functions: ReadonlyMap<string, MessagesFunction>;
  /** The role each area that uses the table acts for one tenant with, by area name. */
  readonly tenantRoles: ReadonlyMap<string, TenantDataRole>;
  readonly delivery: MessageDelivery;
  readonly imports: ClientImportWorker;
  readonly schedules: MessageSchedules;
  readonly evaluator: RuleEvaluator;
  readonly alarms: OperationsAlarms;
  /** The key unsubscribe links are signed with: read by delivery (signs) and the unsubscribe area (checks). */
  readonly unsubscribeKey: Secret;
  readonly dashboard: MessagesDashboard;

  constructor(scope: Construct, id: string, props: MessagesStackProps) {
    super(scope, id, props);

    const spaOrigins = props.spaOrigins ?? originsFromContext(this.node.tryGetContext('spaOrigin'));
    // Checked even when CORS allows any origin: they are also the sign-in callback URLs.
    for (const origin of spaOrigins) assertOrigin(origin);
    const functionsDir = props.functionsDir ?? DEFAULT_FUNCTIONS_DIR;
    validateAreas(props.areas, functionsDir);
    const evaluatorEntry = handlerModule(functionsDir, EVALUATOR_MODULE, 'the rule evaluator');
    const deliveryEntry = handlerModule(functionsDir, DELIVERY_MODULE, 'message delivery');
    const emailEventsEntry = handlerModule(functionsDir, EMAIL_EVENTS_MODULE, 'the email events');
    const importEntry = handlerModule(functionsDir, IMPORT_MODULE, 'the client import worker');

    this.records = new RecordsTable(this, 'Records');
    this.documents = new DocumentsBucket(this, 'Documents');
    const senderEmail = props.senderEmail ?? optionalContext(this, 'senderEmail') ?? TEST_SENDER_EMAIL;
    this.users = new TenantUserPool(this, 'Users', { spaOrigins, ...(props.userPoolEmail === 'ses' ? { sesSender: senderEmail } : {}) });
    this.httpApi = new TenantHttpApi(this, 'Http', {
      jwtIssuer: this.users.issuerUrl,
      userPoolClient: this.users.client,
      cors: apiCors(apiOrigins(props.areas.flatMap((area) => area.routes), spaOrigins)),
      throttle: props.throttle,
      publicRouteThrottle: props.publicRouteThrottle,
    });
    this.edge = new PublicEdge(this, 'Edge', { api: this.httpApi.api, webAclArn: props.webAclArn ?? new EdgeFirewall(this, 'EdgeFirewall').webAclArn });
    this.delivery = new MessageDelivery(this, 'Delivery', {
      entry: deliveryEntry,
      emailEventsEntry,
      records: this.records,
      senderEmail,
      smsSenderId: props.smsSenderId ?? optionalContext(this, 'smsSenderId'),
    });

    this.unsubscribeKey = new Secret(this, 'UnsubscribeKey', {
      description: 'HS256 key of the unsubscribe links in client emails',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    Validations.of(this.unsubscribeKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'A signing key, not a credential: rotating it would void the unsubscribe links of every email already sent (they last 90 days).',
    });
    const unsubscribeKeyEnvironment = { UNSUBSCRIBE_KEY_SECRET: this.unsubscribeKey.secretArn };
    this.unsubscribeKey.grantRead(this.delivery.fn);
    for (const [name, value] of Object.entries({ ...unsubscribeKeyEnvironment, PUBLIC_BASE_URL: this.edge.url })) this.delivery.fn.function.addEnvironment(name, value);
    this.imports = new ClientImportWorker(this, 'Imports', { entry: importEntry, records: this.records, documents: this.documents });

    const publicRateLimit = props.publicRateLimit ?? defaultPublicRateLimit;
    // The delivery queue is encrypted with SQS-managed keys, so sending to it needs no KMS grant.
    const { sesTenants } = this.delivery;
    const rateLimitEnvironment = {
      PUBLIC_RATE_LIMIT: String(publicRateLimit.limit),
      PUBLIC_RATE_WINDOW_SECONDS: String(publicRateLimit.windowSeconds),
      PUBLIC_SENDER_RATE_LIMIT: String(props.publicSenderRateLimit ?? defaultPublicSenderRateLimit),
    };
    // `tenantKeys`: key patterns besides the tenant's own that the area's tenant-data role reaches.
    const resources: Record<
      AreaResource,
      { environment: Record<string, string>; grant: (fn: MessagesFunction) => void; anyResourceGrants?: AnyResourceGrant[]; tenantKeys?: readonly string[] }
    > = {
      'document-uploads': { environment: { DOCUMENTS_BUCKET: this.documents.bucket.bucketName }, grant: (fn) => this.documents.grantUploads(fn) },
      'document-downloads': { environment: { DOCUMENTS_BUCKET: this.documents.bucket.bucketName }, grant: (fn) => this.documents.grantDownloads(fn) },
      'delivery-queue': {
        environment: { DELIVERY_QUEUE_URL: this.delivery.queue.queueUrl },
        grant: (fn) =>
          fn.grantPrincipal.addToPrincipalPolicy(
            new PolicyStatement({ effect: Effect.ALLOW, actions: ['sqs:SendMessage'], resources: [this.delivery.queue.queueArn] }),
          ),
      },
      'import-files': { environment: { DOCUMENTS_BUCKET: this.documents.bucket.bucketName }, grant: (fn) => this.documents.grantImportFiles(fn) },
      'import-queue': { environment: { IMPORT_QUEUE_URL: this.imports.queue.queueUrl }, grant: (fn) => this.imports.grantSend(fn) },
      // The counters are items of the records table (validateAreas: read-write) whose keys start with the business.
      'public-rate-limit': {
        environment: rateLimitEnvironment,
        grant: () => undefined,
        tenantKeys: [rateCounterPartition(publicBusinessCounter(TENANT_TAG_VARIABLE)), rateCounterPartition(publicSenderCounter(TENANT_TAG_VARIABLE, '*'))],
      },
      'unsubscribe-rate-limit': { environment: rateLimitEnvironment, grant: () => undefined, tenantKeys: [rateCounterPartition(unsubscribeCounter(TENANT_TAG_VARIABLE, '*'))] },
      'slug-lookup': { environment: {}, grant: (fn) => this.records.grantOnKeys(fn, ['dynamodb:GetItem'], [globalClaimPattern(slugClaim('*'))]) },
      // A claim names no tenant in its key, so any business's credentials reach every claim of these
      // names; the store's conditions (the claim's owner) keep one business from taking another's.
      'business-claims': { environment: {}, grant: () => undefined, tenantKeys: [globalClaimPattern(slugClaim('*')), globalClaimPattern(senderDomainClaim('*'))] },
      'ses-tenants': {
        environment: {
          SENDER_EMAIL: this.delivery.senderEmail,
          SES_TENANT_PREFIX: sesTenants.prefix,
          SES_CONFIGURATION_SET_ARN: this.delivery.configurationSetArn,
          SES_IDENTITY_ARN_PREFIX: sesTenants.arns.identityPrefix,
        },
        grant: (fn) => grantSenderManagement(fn, sesTenants.arns, sesTenants.prefix),
        anyResourceGrants: [createTenantGrant],
      },
      'unsubscribe-key': { environment: unsubscribeKeyEnvironment, grant: (fn) => this.unsubscribeKey.grantRead(fn) },
    };

    const functions = new Map<string, MessagesFunction>();
    const tenantRoles = new Map<string, TenantDataRole>();
    for (const { area, routes, tableAccess = 'read-write', uses = [] } of props.areas) {
      const id = `${pascalCase(area)}Api`;
      const fn = new MessagesFunction(this, id, {
        entry: path.join(functionsDir, AREAS_DIR, `${area}.ts`),
        description: `API area "${area}": ${routes.length} route(s)`,
        tableName: this.records.table.tableName,
        environment: Object.assign(
          {},
          ...uses.map((resource) => resources[resource].environment),
          routes.some((route) => route.auth === 'public') ? { EDGE_ORIGIN_SECRET: this.edge.originSecret.secretValue.unsafeUnwrap() } : {},
        ),
        anyResourceGrants: uses.flatMap((resource) => resources[resource].anyResourceGrants ?? []),
      });
      // The function's own role gets no tenant's items: it reads and writes them as the tenant's session.
      if (tableAccess !== 'none') {
        const tenantData = new TenantDataRole(fn, 'TenantData', {
          records: this.records,
          executionRole: fn.role,
          access: tableAccess,
          alsoKeys: uses.flatMap((resource) => resources[resource].tenantKeys ?? []),
        });
        fn.function.addEnvironment('TENANT_ROLE_ARN', tenantData.role.roleArn);
        tenantRoles.set(area, tenantData);
      }
      for (const resource of uses) resources[resource].grant(fn);
      this.httpApi.addFunctionRoutes(id, fn.function, routes);
      functions.set(area, fn);
    }
    this.functions = functions;
    this.tenantRoles = tenantRoles;
    this.schedules = new MessageSchedules(this, 'Schedules', { deliveryQueue: this.delivery.queue });
    this.evaluator = new RuleEvaluator(this, 'Evaluator', {
      entry: evaluatorEntry,
      records: this.records,
      deliveryQueue: this.delivery.queue,
      schedules: this.schedules,
    });
    this.delivery.armsSchedulesOf(this.schedules);
    this.alarms = new OperationsAlarms(this, 'Alarms', { email: props.alarmEmail ?? optionalContext(this, 'alarmEmail') });
    this.alarms.whenQueueHasMessages(
      'DeliveryDeadLetters',
      this.delivery.deadLetters,
      `Messages failed delivery ${DELIVERY_MAX_RECEIVES} times and wait in the delivery dead-letter queue (kept 14 days). Inspect them, fix the cause, then redrive them to the delivery queue.`,
    );
    this.alarms.whenQueueHasMessages(
      'EmailEventDeadLetters',
      this.delivery.emailEvents.deadLetters,
      `SES email events could not be handed to the email events function (${EMAIL_EVENTS_RETRY.target.retryAttempts} retries within ${EMAIL_EVENTS_RETRY.target.maxEventAge.toHumanString()}) or it failed on them ${EMAIL_EVENTS_RETRY.function.retryAttempts + 1} times, and they wait in the email-events dead-letter queue (kept 14 days). Each message body is the EventBridge event; its attributes say why (ERROR_CODE and ERROR_MESSAGE from EventBridge, ErrorCode and ErrorMessage from Lambda). Fix the cause (the table, the function's role), then invoke the function with each event again: the messages they name may still be waiting to be settled.`,
    );
    this.alarms.whenQueueHasMessages(
      'ImportDeadLetters',
      this.imports.deadLetters,
      `A chunk of a client import failed ${IMPORT_MAX_RECEIVES} times; its import is marked failed (GET /imports/{id} says why) and the message waits in the import dead-letter queue (kept 14 days). Fix the cause, then start an import of the same file again: the rows already imported are matched to the clients they made (same file, same client ids), never duplicated.`,
    );
    this.alarms.whenQueueHasMessages(
      'StreamFailures',
      this.evaluator.failures,
      'The rule evaluator gave up on stream records (after retries, or older than an hour). Each message names the shard and sequence numbers; the records stay in the table stream for 24 hours.',
    );
    this.alarms.whenQueueHasMessages(
      'ScheduleDeadLetters',
      this.schedules.deadLetters,
      `A timed message's schedule could not put its delivery request on the delivery queue (${SCHEDULE_RETRY.maximumRetryAttempts} retries within ${SCHEDULE_RETRY.maximumEventAge.toHumanString()}, or a permanent error) and the request waits in the scheduler dead-letter queue (kept 14 days). Each message body is the delivery request; its ERROR_CODE, ERROR_MESSAGE and SCHEDULE_ARN attributes say why. Fix the cause (queue, execution role), then send the requests that are still worth sending to the delivery queue.`,
    );

    this.alarms.whenQueueFallsBehind('DeliveryQueueAge', this.delivery.queue, 'delivery queue');
    this.alarms.watchStream('EvaluatorIteratorAge', this.evaluator.fn.function);
    this.alarms.watchApi('Api5xxRate', this.httpApi.api);
    this.alarms.watchTable('TableThrottles', this.records.table);
    this.alarms.watchEmailReputation('Ses');
    this.alarms.watchSmsSpend('SmsSpend', props.smsSpendLimitUsd ?? DEFAULT_SMS_SPEND_LIMIT_USD);
    // Every function of the stack, whichever construct made it: errors and throttles alarm on each.
    for (const fn of this.node.findAll().filter((c): c is MessagesFunction => c instanceof MessagesFunction)) {
      this.alarms.watchFunction(fn.node.path.split('/').slice(1).join(''), fn.function, `Function ${fn.node.path}`);
    }
    this.dashboard = new MessagesDashboard(this, 'Dashboard', {
      api: this.httpApi.api,
      evaluator: this.evaluator.fn.function,
      delivery: this.delivery.fn.function,
      deliveryQueue: this.delivery.queue,
      deadLetters: {
        'delivery dead letters': this.delivery.deadLetters,
        'email event dead letters': this.delivery.emailEvents.deadLetters,
        'stream failures': this.evaluator.failures,
        'schedule dead letters': this.schedules.deadLetters,
      },
      alarms: this.alarms.alarms,
      service: this.stackName,
    });

    new CfnOutput(this, 'Stage', { value: props.stage ?? this.stackName });
    new CfnOutput(this, 'Region', { value: Aws.REGION, description: 'Region of the API and the user pool (the SPA\'s Cognito configuration)' });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn, description: 'Every alarm notifies this topic: subscribe a pager or chat integration' });
    new CfnOutput(this, 'DashboardName', { value: this.dashboard.dashboard.dashboardName });
    new CfnOutput(this, 'ApiUrl', { value: this.edge.url, description: 'Base URL of the API for the SPA and the widgets (CloudFront with AWS WAF)' });
    new CfnOutput(this, 'ExecuteApiUrl', { value: this.httpApi.url, description: 'The HTTP API’s own URL: tenant routes answer there too, public routes only through ApiUrl' });
    new CfnOutput(this, 'UserPoolId', { value: this.users.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.users.client.userPoolClientId });
    new CfnOutput(this, 'JwtIssuer', { value: this.users.issuerUrl });
    new CfnOutput(this, 'TableName', { value: this.records.table.tableName });
    new CfnOutput(this, 'DeliveryQueueUrl', { value: this.delivery.queue.queueUrl });
    new CfnOutput(this, 'DocumentsBucketName', { value: this.documents.bucket.bucketName });
    new CfnOutput(this, 'ScheduleGroupName', {
      value: this.schedules.group.scheduleGroupName,
      description: 'EventBridge Scheduler group holding the one-time schedules of timed messages',
    });
    new CfnOutput(this, 'SesConfigurationSet', { value: this.delivery.configurationSet.configurationSetName });
  }
}

export function originsFromContext(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [devSpaOrigin];
  if (Array.isArray(value)) return value.map(String);
  return String(value)
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
}

/** A non-empty string from the CDK context, or undefined. */
function optionalContext(scope: Construct, key: string): string | undefined {
  const value: unknown = scope.node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  return String(value).trim();
}

function handlerModule(functionsDir: string, module: string, what: string): string {
  const entry = path.join(functionsDir, module);
  if (!existsSync(entry)) throw new Error(`MessagesStack: ${what} has no handler module ${entry}`);
  return entry;
}

function validateAreas(areas: readonly ApiAreaSpec[], functionsDir: string): void {
  if (areas.length === 0) throw new Error('MessagesStack: the route catalog has no areas');
  const seenAreas = new Set<string>();
  const seenRoutes = new Map<string, string>();
  for (const { area, routes, tableAccess = 'read-write', uses = [] } of areas) {
    if (!AREA_NAME.test(area)) throw new Error(`MessagesStack: area "${area}" must match ${AREA_NAME}`);
    if ((uses.includes('public-rate-limit') || uses.includes('unsubscribe-rate-limit')) && tableAccess !== 'read-write') {
      throw new Error(`MessagesStack: area "${area}" counts public requests in the records table, so its tableAccess must be 'read-write'`);
    }
    if (uses.includes('business-claims') && tableAccess !== 'read-write') {
      throw new Error(`MessagesStack: area "${area}" writes claims in the records table, so its tableAccess must be 'read-write'`);
    }
    if (seenAreas.has(area)) throw new Error(`MessagesStack: area "${area}" appears twice`);
    seenAreas.add(area);
    const entry = path.join(functionsDir, AREAS_DIR, `${area}.ts`);
    if (!existsSync(entry)) throw new Error(`MessagesStack: area "${area}" has no handler module ${entry}`);
    if (routes.length === 0) throw new Error(`MessagesStack: area "${area}" has no routes`);
    for (const route of routes) {
      const key = `${route.method} ${route.path}`;
      const owner = seenRoutes.get(key);
      if (owner !== undefined) throw new Error(`MessagesStack: route ${key} is in areas "${owner}" and "${area}"`);
      seenRoutes.set(key, area);
    }
  }
}

function pascalCase(area: string): string {
  return area
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
