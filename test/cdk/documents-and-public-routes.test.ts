import { describe, it, expect } from 'vitest';
import { tableDesign } from '#adapters/dynamodb/table-design.ts';
import { documentStorageKey, documentUploadKey } from '#domain/documents.ts';
import { apiAreas } from '#api/catalog.ts';
import { DOCUMENTS_PREFIX, IMPORTS_PREFIX, UPLOADS_PREFIX } from '#infra/documents-bucket.ts';
import { MessagesStack } from '#infra/messages-stack.ts';
import { defaultPublicRateLimit, defaultPublicSenderRateLimit } from '#domain/rate-limit.ts';
import { appLikeCli, grantsOf, SKIP_BUNDLING, templateOf, type CfnResource, type Grant } from './support.ts';

// The documents bucket, who may touch it, the routes open to anyone and their throttling, and the
// table's time to live. Bundling is skipped: the template's shape does not depend on the bundles.
const app = appLikeCli(SKIP_BUNDLING);
const stack = new MessagesStack(app, 'ClientMessages', { areas: apiAreas });
const { resources, ofType, idOf, arnOf } = templateOf(stack);
const json = (value: unknown): string => JSON.stringify(value);
const describeGrant = (g: Grant): string => `${g.effect} ${g.action} on ${json(g.resource)}${g.condition ? ` if ${json(g.condition)}` : ''}`;

const bucketId = idOf(stack.documents.bucket);
const logsId = idOf(stack.documents.accessLogs);
const bucket = resources[bucketId]!;
const bucketArn = arnOf(stack.documents.bucket);
const documentsArn = { 'Fn::Join': ['', [bucketArn, '/documents/*']] };
const uploadsArn = { 'Fn::Join': ['', [bucketArn, '/uploads/*']] };
const importsArn = { 'Fn::Join': ['', [bucketArn, '/imports/*']] };
const fnOf = (area: string) => {
  const fn = stack.functions.get(area);
  if (!fn) throw new Error(`no function for area "${area}"`);
  return fn;
};
const grantsOfArea = (area: string): Grant[] => grantsOf(resources, idOf(fnOf(area).role));
/** What the area does on the table as a tenant: its tenant-data role's grants. */
const tenantGrantsOfArea = (area: string): Grant[] => grantsOf(resources, idOf(stack.tenantRoles.get(area)!.role));
const environmentOf = (area: string): Record<string, unknown> => resources[idOf(fnOf(area).function)]!.Properties.Environment.Variables;
const policyOf = (id: string): Record<string, any>[] =>
  ofType('AWS::S3::BucketPolicy')
    .filter(([, p]) => json(p.Properties.Bucket) === json({ Ref: id }))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Record<string, any>[]);

const routes = ofType('AWS::ApiGatewayV2::Route').map(([id, r]) => ({ id, key: r.Properties.RouteKey as string, props: r.Properties }));
const isOpen = (route: { props: CfnResource['Properties'] }): boolean => (route.props.AuthorizationType ?? 'NONE') === 'NONE';
/** The only route open to anyone that is not a widget route: the API description. Any other needs review here. */
const OPEN_OUTSIDE_PUBLIC = ['GET /openapi.json'];
const [[stageId, stage]] = ofType('AWS::ApiGatewayV2::Stage') as [[string, CfnResource]];

describe('documents bucket', () => {
  it('is private: every public access block on, ACLs disabled, no policy allowing anyone in', () => {
    for (const id of [bucketId, logsId]) {
      expect(resources[id]!.Properties.PublicAccessBlockConfiguration, id).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(resources[id]!.Properties.OwnershipControls, id).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    }
    for (const statement of policyOf(bucketId)) expect(statement.Effect, json(statement)).toBe('Deny');
  });

  it('is encrypted at rest with S3-managed keys', () => {
    for (const id of [bucketId, logsId]) {
      expect(resources[id]!.Properties.BucketEncryption, id).toEqual({
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      });
    }
  });

  it('refuses every request not over TLS 1.2 or later, on the bucket and its objects', () => {
    for (const target of [stack.documents.bucket, stack.documents.accessLogs]) {
      const id = idOf(target);
      const whole = [arnOf(target), { 'Fn::Join': ['', [arnOf(target), '/*']] }];
      expect(policyOf(id), id).toEqual(
        expect.arrayContaining([
          { Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Resource: whole, Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
          { Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Resource: whole, Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } },
        ]),
      );
    }
  });

  it('keeps documents, versions them, and cleans up abandoned uploads and replaced versions', () => {
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    const rules = bucket.Properties.LifecycleConfiguration.Rules as Record<string, unknown>[];
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
        expect.objectContaining({ Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 30 }, ExpiredObjectDeleteMarker: true }),
      ]),
    );
    for (const rule of rules) {
      // Only staged uploads and import files expire: a rule that expires objects anywhere else would delete documents.
      if (rule.Prefix !== UPLOADS_PREFIX && rule.Prefix !== IMPORTS_PREFIX) expect(rule.ExpirationInDays, json(rule)).toBeUndefined();
      expect(rule.ExpirationDate, json(rule)).toBeUndefined();
      expect(rule.Transitions, json(rule)).toBeUndefined();
    }
  });

  it('removes staged uploads, completed or abandoned, and their old versions a day after they arrive', () => {
    const rules = bucket.Properties.LifecycleConfiguration.Rules as Record<string, unknown>[];
    expect(rules.filter((rule) => rule.Prefix === UPLOADS_PREFIX)).toEqual([
      { Id: 'ExpireStagedUploads', Status: 'Enabled', Prefix: 'uploads/', ExpirationInDays: 1, NoncurrentVersionExpiration: { NoncurrentDays: 1 } },
    ]);
  });

  it('is retained, with its access logs, when the stack is deleted or the bucket replaced', () => {
    for (const id of [bucketId, logsId]) {
      expect(resources[id]!.DeletionPolicy, id).toBe('Retain');
      expect(resources[id]!.UpdateReplacePolicy, id).toBe('Retain');
    }
  });

  it('writes server access logs to its own log bucket, which only S3 log delivery may write to', () => {
    expect(bucket.Properties.LoggingConfiguration).toEqual({ DestinationBucketName: { Ref: logsId }, LogFilePrefix: 'documents-bucket/' });
    const allows = policyOf(logsId).filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({ Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject' });
    expect(allows[0]!.Condition.ArnLike['aws:SourceArn']).toEqual(bucketArn);
    expect(resources[logsId]!.Properties.LifecycleConfiguration.Rules).toEqual([expect.objectContaining({ Status: 'Enabled', ExpirationInDays: 90 })]);
  });

  it('lets browsers on any site PUT and GET with presigned URLs, sending only a content type', () => {
    expect(bucket.Properties.CorsConfiguration.CorsRules).toEqual([
      { AllowedOrigins: ['*'], AllowedMethods: ['PUT', 'GET'], AllowedHeaders: ['content-type'], ExposedHeaders: ['ETag'], MaxAge: 3600 },
    ]);
  });

  it('names the same key prefixes as documentStorageKey and documentUploadKey, so grants and the lifecycle rule cover every file', () => {
    expect(documentStorageKey('tenant-1', 'doc-1')).toBe(`${DOCUMENTS_PREFIX}tenant-1/doc-1`);
    expect(documentUploadKey('tenant-1', 'doc-1')).toBe(`${UPLOADS_PREFIX}tenant-1/doc-1`);
  });
});

describe('who may touch documents', () => {
  const s3 = (area: string) => grantsOfArea(area).filter((g) => g.action.startsWith('s3:'));

  it('lets the public widget function presign uploads to staging keys, check them and copy them to document keys, and read no document', () => {
    const grants = s3('public');
    expect(grants.map(describeGrant).sort()).toEqual(
      [
        // The presigned PUT.
        { effect: 'Allow', action: 's3:PutObject', resource: uploadsArn },
        // HeadObject of the upload, and the copy's source.
        { effect: 'Allow', action: 's3:GetObject', resource: uploadsArn },
        // The copy's destination.
        { effect: 'Allow', action: 's3:PutObject', resource: documentsArn },
        // Without it S3 answers HeadObject of a file not uploaded yet with 403 instead of 404; staging keys only.
        { effect: 'Allow', action: 's3:ListBucket', resource: bucketArn, condition: { StringLike: { 's3:prefix': [`${UPLOADS_PREFIX}*`] } } },
      ]
        .map((g) => describeGrant({ policy: '', ...g }))
        .sort(),
    );
    expect(environmentOf('public').DOCUMENTS_BUCKET).toEqual({ Ref: bucketId });
  });

  it('lets the documents function presign downloads only, and only read the table', () => {
    expect(s3('documents').map(describeGrant)).toEqual([describeGrant({ policy: '', effect: 'Allow', action: 's3:GetObject', resource: documentsArn })]);
    expect(environmentOf('documents').DOCUMENTS_BUCKET).toEqual({ Ref: bucketId });
    expect(grantsOfArea('documents').filter((g) => g.action.startsWith('dynamodb:'))).toEqual([]);
    const dynamo = tenantGrantsOfArea('documents').filter((g) => g.action.startsWith('dynamodb:'));
    expect(dynamo.length).toBeGreaterThan(0);
    for (const g of dynamo) expect(['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'], describeGrant(g)).toContain(g.action);
  });

  it('gives no other function any S3 access, and nobody s3:* or another bucket', () => {
    expect(apiAreas.filter(({ area }) => s3(area).length > 0).map(({ area }) => area).sort()).toEqual(['documents', 'imports', 'public']);
    for (const g of grantsOf(resources).filter((x) => x.action.startsWith('s3:'))) {
      expect(g.action, describeGrant(g)).not.toContain('*');
      expect([json(documentsArn), json(uploadsArn), json(importsArn), json(bucketArn)], describeGrant(g)).toContain(json(g.resource));
    }
  });
});

describe('card actions', () => {
  it('let the clients function send delivery requests to the delivery queue, and nothing else on SQS', () => {
    const sqs = grantsOfArea('clients').filter((g) => g.action.startsWith('sqs:'));
    expect(sqs.map(describeGrant)).toEqual([describeGrant({ policy: '', effect: 'Allow', action: 'sqs:SendMessage', resource: arnOf(stack.delivery.queue) })]);
    expect(environmentOf('clients').DELIVERY_QUEUE_URL).toEqual({ Ref: idOf(stack.delivery.queue) });
  });

  it('need no KMS grant: the delivery queue uses SQS-managed encryption', () => {
    expect(resources[idOf(stack.delivery.queue)]!.Properties).toMatchObject({ SqsManagedSseEnabled: true });
    expect(resources[idOf(stack.delivery.queue)]!.Properties.KmsMasterKeyId).toBeUndefined();
  });

  it('are the only API area that may send to a queue, with imports, which queue their chunks', () => {
    const senders = apiAreas.filter(({ area }) => grantsOfArea(area).some((g) => g.action.startsWith('sqs:')));
    expect(senders.map(({ area }) => area).sort()).toEqual(['clients', 'imports']);
    const importSqs = grantsOfArea('imports').filter((g) => g.action.startsWith('sqs:'));
    expect(importSqs.map(describeGrant)).toEqual([describeGrant({ policy: '', effect: 'Allow', action: 'sqs:SendMessage', resource: arnOf(stack.imports.queue) })]);
  });
});

describe('routes open to anyone', () => {
  const publicRoutes = routes.filter((r) => r.key.split(' ')[1]!.startsWith('/public/'));

  it('are every /public/ route, with no authorizer', () => {
    expect(publicRoutes.length).toBeGreaterThan(0);
    for (const route of publicRoutes) {
      expect(route.props.AuthorizationType ?? 'NONE', route.key).toBe('NONE');
      expect(route.props.AuthorizerId, route.key).toBeUndefined();
    }
  });

  it('are no other route but the API description: every other route has the JWT authorizer', () => {
    const [[authorizerId]] = ofType('AWS::ApiGatewayV2::Authorizer') as [[string, CfnResource]];
    for (const route of routes) {
      if (route.key.split(' ')[1]!.startsWith('/public/') || OPEN_OUTSIDE_PUBLIC.includes(route.key)) continue;
      expect(route.props.AuthorizationType, route.key).toBe('JWT');
      expect(route.props.AuthorizerId, route.key).toEqual({ Ref: authorizerId });
    }
    expect(routes.filter(isOpen).map((r) => r.key).sort()).toEqual([...publicRoutes.map((r) => r.key), ...OPEN_OUTSIDE_PUBLIC].sort());
  });

  it('each have a route throttle lower than the stage default; tenant routes keep the default', () => {
    const defaults = stage.Properties.DefaultRouteSettings as { ThrottlingRateLimit: number; ThrottlingBurstLimit: number };
    const settings = stage.Properties.RouteSettings as Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }>;
    expect(Object.keys(settings).sort()).toEqual(routes.filter(isOpen).map((r) => r.key).sort());
    for (const [key, setting] of Object.entries(settings)) {
      expect(setting.ThrottlingRateLimit, key).toBeLessThan(defaults.ThrottlingRateLimit);
      expect(setting.ThrottlingBurstLimit, key).toBeLessThan(defaults.ThrottlingBurstLimit);
      expect(setting.ThrottlingRateLimit, key).toBeGreaterThan(0);
    }
  });

  it('exist before the stage that names them in its route settings', () => {
    const dependsOn = new Set(resources[stageId]!.DependsOn);
    for (const route of routes.filter(isOpen)) expect(dependsOn.has(route.id), route.key).toBe(true);
  });

  it('are served by a function that knows the per-tenant and per-sender limits, counted in the table it may write', () => {
    expect(environmentOf('public')).toMatchObject({
      PUBLIC_RATE_LIMIT: String(defaultPublicRateLimit.limit),
      PUBLIC_RATE_WINDOW_SECONDS: String(defaultPublicRateLimit.windowSeconds),
      PUBLIC_SENDER_RATE_LIMIT: String(defaultPublicSenderRateLimit),
    });
    expect(tenantGrantsOfArea('public').map((g) => g.action)).toEqual(expect.arrayContaining(['dynamodb:UpdateItem', 'dynamodb:PutItem']));
  });
});

describe('records table time to live', () => {
  it('deletes items whose expiresAt (epoch seconds) has passed: pending documents, rate-limit counters', () => {
    const [[, table]] = ofType('AWS::DynamoDB::Table') as [[string, CfnResource]];
    expect(table.Properties.TimeToLiveSpecification).toEqual({ AttributeName: tableDesign.timeToLiveAttribute, Enabled: true });
    expect(tableDesign.timeToLiveAttribute).toBe('expiresAt');
  });
});

describe('configuration', () => {
  it('refuses a public route throttle above the stage throttle', () => {
    expect(
      () =>
        new MessagesStack(appLikeCli(SKIP_BUNDLING), 'LoosePublic', {
          areas: apiAreas,
          throttle: { rateLimit: 5, burstLimit: 10 },
          publicRouteThrottle: { rateLimit: 10, burstLimit: 10 },
        }),
    ).toThrow(/public route throttle must not exceed the stage throttle/);
  });

  it('passes chosen per-tenant and per-sender limits and route throttle through', () => {
    const custom = new MessagesStack(appLikeCli(SKIP_BUNDLING), 'Custom', {
      areas: apiAreas,
      publicRouteThrottle: { rateLimit: 2, burstLimit: 4 },
      publicRateLimit: { limit: 7, windowSeconds: 30 },
      publicSenderRateLimit: 3,
    });
    const t = templateOf(custom);
    const fn = t.resources[t.idOf(custom.functions.get('public')!.function)]!;
    expect(fn.Properties.Environment.Variables).toMatchObject({ PUBLIC_RATE_LIMIT: '7', PUBLIC_RATE_WINDOW_SECONDS: '30', PUBLIC_SENDER_RATE_LIMIT: '3' });
    const [[, customStage]] = t.ofType('AWS::ApiGatewayV2::Stage') as [[string, CfnResource]];
    for (const setting of Object.values(customStage.Properties.RouteSettings as Record<string, unknown>)) {
      expect(setting).toEqual({ ThrottlingRateLimit: 2, ThrottlingBurstLimit: 4 });
    }
  });

  it('refuses a per-tenant limit for an area that may not write the table the counters live in', () => {
    expect(
      () =>
        new MessagesStack(appLikeCli(SKIP_BUNDLING), 'ReadOnlyLimit', {
          areas: [{ area: 'documents', tableAccess: 'read', uses: ['public-rate-limit'], routes: [{ method: 'GET', path: '/d', auth: 'public' }] }],
        }),
    ).toThrow(/tableAccess must be 'read-write'/);
  });
});
