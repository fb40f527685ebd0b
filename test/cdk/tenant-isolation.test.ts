import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { z } from 'zod';
import { AssumeRoleCommand, STSClient, type AssumeRoleCommandInput } from '@aws-sdk/client-sts';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, ScanCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { MessagesStack } from '#infra/messages-stack.ts';
import { apiAreas } from '#api/catalog.ts';
import { bookingKind } from '#domain/bookings.ts';
import { defineRoute } from '#http/route.ts';
import { appLikeCli, SKIP_BUNDLING, templateOf } from './support.ts';
import { apiEvent, lambdaContext, parsed } from '../support/api-event.ts';
import { bucketArnOf, decide, decideAll, policiesOfRole, resolver, roleArnOf, TABLE_ARN, tableRequestsOf, type TableRequest } from './policy-simulation.ts';

// The template's shape is all these tests read: no bundling.
const stack = new MessagesStack(appLikeCli(SKIP_BUNDLING), 'ClientMessages', { areas: apiAreas });
const { resources, idOf } = templateOf(stack);

const tenantRoleId = (area: string) => idOf(stack.tenantRoles.get(area)!.role);
const executionRoleId = (area: string) => idOf(stack.functions.get(area)!.role);
const session = (area: string, tenant: string) => ({ policies: policiesOfRole(resources, tenantRoleId(area)), principal: `arn:aws:sts::123456789012:assumed-role/${tenantRoleId(area)}/t-${tenant}` });

const get = (pk: string): TableRequest => ({ action: 'dynamodb:GetItem', resource: TABLE_ARN, leadingKeys: [pk] });
const put = (pk: string): TableRequest => ({ action: 'dynamodb:PutItem', resource: TABLE_ARN, leadingKeys: [pk] });
const query = (index: string, pk: string): TableRequest => ({ action: 'dynamodb:Query', resource: `${TABLE_ARN}/index/${index}`, leadingKeys: [pk] });

/** What a tenant's session of `area`'s tenant-data role may do. */
const asTenant = (area: string, tenant: string, ...requests: TableRequest[]) => {
  const { policies, principal } = session(area, tenant);
  return decideAll(policies, principal, requests, tenant);
};

describe('the tenant-data roles', () => {
  const areasWithTable = apiAreas.filter((area) => area.tableAccess !== 'none');

  it('exist for every area that uses the table, and only for those', () => {
    expect([...stack.tenantRoles.keys()].sort()).toEqual(areasWithTable.map((area) => area.area).sort());
  });

  it.each(areasWithTable.map((area) => area.area))('%s: its tenant reads its own items, by key and on both indexes; another tenant\'s are refused', async (area) => {
    expect(await asTenant(area, 'acme', get('T#acme'), query('ByTime', 'T#acme#booking'), query('ByClient', 'T#acme#client#C1'))).toEqual(['Allowed', 'Allowed', 'Allowed']);
    expect(await asTenant(area, 'acme', get('T#globex'), query('ByTime', 'T#globex#booking'), query('ByClient', 'T#globex#client#C1'))).toEqual(['ImplicitlyDenied', 'ImplicitlyDenied', 'ImplicitlyDenied']);
    // A tenant whose id starts like another's reaches none of the other's keys, nor the other way round.
    expect(await asTenant(area, 'acme', get('T#acmex'), get('T#acm'))).toEqual(['ImplicitlyDenied', 'ImplicitlyDenied']);
  });

  it('refuse a batch that mixes the tenant\'s keys with another tenant\'s', async () => {
    expect(await asTenant('bookings', 'acme', { action: 'dynamodb:BatchGetItem', resource: TABLE_ARN, leadingKeys: ['T#acme', 'T#globex'] })).toEqual(['ImplicitlyDenied']);
  });

  it('refuse Scan, on the table and on an index, even to the tenant', async () => {
    expect(await asTenant('bookings', 'acme', { action: 'dynamodb:Scan', resource: TABLE_ARN, leadingKeys: [] }, { action: 'dynamodb:Scan', resource: `${TABLE_ARN}/index/ByTime`, leadingKeys: [] })).toEqual([
      'ImplicitlyDenied',
      'ImplicitlyDenied',
    ]);
  });

  it('refuse a session without a tenant tag, or with an empty one (whose patterns would be T# and T#*)', async () => {
    const { policies, principal } = session('bookings', 'acme');
    expect(await decide(policies, principal, get('T#acme'))).toBe('ImplicitlyDenied');
    expect(await decide(policies, principal, get('T#'), '')).toBe('ImplicitlyDenied');
    expect(await decide(policies, principal, get('T#acme'), '')).toBe('ImplicitlyDenied');
  });

  it('refuse a request with no leading key (ForAllValues would hold on an empty set)', async () => {
    expect(await asTenant('bookings', 'acme', { action: 'dynamodb:GetItem', resource: TABLE_ARN, leadingKeys: [] })).toEqual(['ImplicitlyDenied']);
  });

  it('let the documents area only read', async () => {
    expect(await asTenant('documents', 'acme', get('T#acme'), put('T#acme'))).toEqual(['Allowed', 'ImplicitlyDenied']);
  });

  it('let only the settings area reach the global slug and sender-domain claims, which it writes in the settings\' own transactions', async () => {
    const claims = [put('claim#slug#salon-lucia'), put('claim#senderDomain#example.com')];
    expect(await asTenant('settings', 'acme', put('T#acme'), ...claims)).toEqual(['Allowed', 'Allowed', 'Allowed']);
    for (const area of [...stack.tenantRoles.keys()].filter((name) => name !== 'settings')) {
      expect(await asTenant(area, 'acme', ...claims), area).toEqual(['ImplicitlyDenied', 'ImplicitlyDenied']);
    }
    // Claims of other names (none are global today) stay out of reach.
    expect(await asTenant('settings', 'acme', put('claim#clientEmail#a@example.com'))).toEqual(['ImplicitlyDenied']);
  });

  it('let the public and unsubscribe areas count their own business\'s requests, never another\'s', async () => {
    const update = (pk: string): TableRequest => ({ action: 'dynamodb:UpdateItem', resource: TABLE_ARN, leadingKeys: [pk] });
    expect(await asTenant('public', 'acme', update('rate#public#acme'), update('rate#public#acme#sender#203.0.113.7'), update('rate#public#globex'), update('rate#unsubscribe#acme#C1'))).toEqual([
      'Allowed',
      'Allowed',
      'ImplicitlyDenied',
      'ImplicitlyDenied',
    ]);
    expect(await asTenant('unsubscribe', 'acme', update('rate#unsubscribe#acme#C1'), update('rate#unsubscribe#globex#C1'), update('rate#public#acme'))).toEqual(['Allowed', 'ImplicitlyDenied', 'ImplicitlyDenied']);
    expect(await asTenant('bookings', 'acme', update('rate#public#acme'))).toEqual(['ImplicitlyDenied']);
  });

  it('are named to their area\'s function, which assumes them (TENANT_ROLE_ARN)', () => {
    for (const area of stack.tenantRoles.keys()) {
      const environment = resources[idOf(stack.functions.get(area)!.function)]!.Properties.Environment.Variables;
      expect(environment.TENANT_ROLE_ARN, area).toEqual({ 'Fn::GetAtt': [tenantRoleId(area), 'Arn'] });
    }
    expect(resources[idOf(stack.functions.get('openapi')!.function)]!.Properties.Environment.Variables.TENANT_ROLE_ARN).toBeUndefined();
  });

  it('are assumable only by their own area\'s execution role, with exactly the tenantId tag', () => {
    const resolve = resolver(resources);
    for (const area of stack.tenantRoles.keys()) {
      const trust = resolve(resources[tenantRoleId(area)]!.Properties.AssumeRolePolicyDocument) as { Statement: Record<string, unknown>[] };
      expect(trust.Statement, area).toEqual([
        {
          Effect: 'Allow',
          Action: ['sts:AssumeRole', 'sts:TagSession'],
          Principal: { AWS: roleArnOf(executionRoleId(area)) },
          Condition: { StringLike: { 'aws:RequestTag/tenantId': '?*' }, 'ForAllValues:StringEquals': { 'aws:TagKeys': ['tenantId'] } },
        },
      ]);
    }
  });
});

describe('the API areas\' execution roles', () => {
  const own = (area: string) => ({ policies: policiesOfRole(resources, executionRoleId(area)), principal: `arn:aws:sts::123456789012:assumed-role/${executionRoleId(area)}/function` });

  it('reach no tenant\'s items: only through a tenant session', async () => {
    for (const area of stack.tenantRoles.keys()) {
      const { policies, principal } = own(area);
      expect(await decideAll(policies, principal, [get('T#acme'), query('ByTime', 'T#acme#booking')]), area).toEqual(['ImplicitlyDenied', 'ImplicitlyDenied']);
    }
  });

  it('let only the public area read slug claims, to find the business before acting for it; nothing else global', async () => {
    for (const area of stack.tenantRoles.keys()) {
      const { policies, principal } = own(area);
      expect(await decide(policies, principal, get('claim#slug#salon-lucia')), area).toBe(area === 'public' ? 'Allowed' : 'ImplicitlyDenied');
      expect(await decideAll(policies, principal, [put('claim#slug#salon-lucia'), get('claim#senderDomain#example.com'), get('rate#public#acme')]), area).toEqual(['ImplicitlyDenied', 'ImplicitlyDenied', 'ImplicitlyDenied']);
    }
  });
});

describe('listing the documents bucket', () => {
  const bucket = bucketArnOf(idOf(stack.documents.bucket));
  const list = (prefix?: string): TableRequest => ({ action: 's3:ListBucket', resource: bucket, leadingKeys: [], ...(prefix === undefined ? {} : { context: { 's3:prefix': prefix } }) });
  const asFunction = (roleId: string, request: TableRequest) => decide(policiesOfRole(resources, roleId), `arn:aws:sts::123456789012:assumed-role/${roleId}/function`, request);

  // S3 asks the same question, with the requested key as s3:prefix, to answer a missing object's HEAD or GET with 404 rather than 403.
  it('lets the public function list only under uploads/, the imports function and worker only under imports/', async () => {
    const cases: [who: string, roleId: string, allowed: string, denied: string[]][] = [
      ['public', executionRoleId('public'), 'uploads/acme/D1', ['documents/acme/D1', 'imports/acme/I1.csv', '']],
      ['imports', executionRoleId('imports'), 'imports/acme/I1.csv', ['uploads/acme/D1', 'documents/acme/D1', '']],
      ['import worker', idOf(stack.imports.fn.role), 'imports/acme/I1.csv', ['uploads/acme/D1', 'documents/acme/D1', '']],
    ];
    for (const [who, roleId, allowed, denied] of cases) {
      expect(await asFunction(roleId, list(allowed)), `${who} ${allowed}`).toBe('Allowed');
      for (const prefix of denied) expect(await asFunction(roleId, list(prefix)), `${who} ${JSON.stringify(prefix)}`).toBe('ImplicitlyDenied');
      expect(await asFunction(roleId, list()), `${who}: the whole bucket`).toBe('ImplicitlyDenied');
    }
  });
});

describe('a handler given another tenant\'s id', () => {
  const dynamo = mockClient(DynamoDBDocumentClient);
  const sts = mockClient(STSClient);
  const bookingsRole = roleArnOf(tenantRoleId('bookings'));
  const { policies } = session('bookings', 'acme');
  let bookings: typeof import('#api/bookings.ts');
  let wiring: typeof import('#wiring');
  let httpHandler: typeof import('#http/http-handler.ts').httpHandler;
  /** Every AssumeRole the container made, across tests: sessions stay cached from one test to the next. */
  const issued: AssumeRoleCommandInput[] = [];

  beforeAll(async () => {
    process.env.TABLE_NAME = 'records';
    process.env.TENANT_ROLE_ARN = bookingsRole;
    // The function's own credentials, as the Lambda runtime gives them.
    process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
    process.env.AWS_SECRET_ACCESS_KEY = 'secret';
    bookings = await import('#api/bookings.ts');
    wiring = await import('#wiring');
    ({ httpHandler } = await import('#http/http-handler.ts'));
  });
  afterAll(() => {
    for (const name of ['TENANT_ROLE_ARN', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) delete process.env[name];
  });
  beforeEach(() => {
    dynamo.reset();
    sts.reset();
    // Every session issued gets keys of its own, so a command's credentials say which AssumeRole (and tag) made them.
    sts.on(AssumeRoleCommand).callsFake((input: AssumeRoleCommandInput) => {
      issued.push(input);
      return { Credentials: { AccessKeyId: `ASIA${issued.length}`, SecretAccessKey: 'secret', SessionToken: 'token', Expiration: new Date(Date.now() + 900_000) } };
    });
  });

  /** The tenant tag of the session a captured command was signed with: its client's credentials, as the SDK's signer resolves them. */
  async function signingTenant(call: { thisValue: unknown }): Promise<string | undefined> {
    const { config } = call.thisValue as DynamoDBDocumentClient;
    const { accessKeyId } = await (config.credentials as () => Promise<{ accessKeyId: string }>)();
    const assumed = issued[Number(accessKeyId.replace(/^ASIA/, '')) - 1];
    if (!assumed) return undefined;
    expect(assumed.RoleArn).toBe(bookingsRole);
    return assumed.Tags![0]!.Value;
  }

  it('sends its own tenant\'s read with the tenant\'s session, which the policy allows', async () => {
    dynamo.on(GetCommand).resolves({});
    const result = await bookings.handler(apiEvent({ routeKey: 'GET /bookings/{id}', pathParameters: { id: 'B1' } }), lambdaContext);
    expect(result.statusCode).toBe(404);
    const [call] = dynamo.commandCalls(GetCommand);
    const tenant = await signingTenant(call!);
    expect(tenant).toBe('acme');
    expect(await decideAll(policies, session('bookings', tenant!).principal, tableRequestsOf(call!.args[0]), tenant)).toEqual(['Allowed']);
  });

  it('sends a write of its own tenant\'s booking transaction with the tenant\'s session, every item allowed', async () => {
    dynamo.on(GetCommand).resolves({});
    dynamo.on(TransactWriteCommand).resolves({});
    const booking = { clientId: 'C1', locationId: 'L1', service: 'Haircut', start: '2026-03-29T10:00:00+02:00', end: '2026-03-29T10:30:00+02:00' };
    expect((await bookings.handler(apiEvent({ routeKey: 'POST /bookings', body: booking }), lambdaContext)).statusCode).toBe(201);
    const [call] = dynamo.commandCalls(TransactWriteCommand);
    const requests = tableRequestsOf(call!.args[0]);
    expect(requests.length).toBeGreaterThan(2);
    expect(await decideAll(policies, session('bookings', 'acme').principal, requests, await signingTenant(call!))).toEqual(requests.map(() => 'Allowed'));
  });

  it('is refused by IAM when its code reads another tenant\'s item: the command goes out under the caller\'s session', async () => {
    dynamo.on(GetCommand).resolves({ Item: { pk: 'T#globex' } });
    // A route with the bug: it passes the tenant named in its path to the store instead of the caller's.
    const buggy = defineRoute({
      method: 'GET',
      path: '/leak/{tenant}',
      tag: 'Test',
      summary: 'Reads a booking of the tenant its path names (the bug under test)',
      auth: 'tenant',
      params: z.strictObject({ tenant: z.string() }),
      responses: { 200: { description: 'what the store answered', schema: z.unknown() } },
      operation: async (request, deps) => ({ status: 200, body: await deps.store.get(request.params.tenant, bookingKind, 'B1') }),
    });
    const handler = httpHandler([buggy], wiring.appDeps);
    await handler(apiEvent({ routeKey: 'GET /leak/{tenant}', pathParameters: { tenant: 'globex' } }), lambdaContext);
    const [call] = dynamo.commandCalls(GetCommand);
    expect(call!.args[0].input.Key).toEqual({ pk: 'T#globex', sk: `${bookingKind}#B1` });
    const tenant = await signingTenant(call!);
    expect(tenant).toBe('acme');
    expect(await decideAll(policies, session('bookings', tenant!).principal, tableRequestsOf(call!.args[0]), tenant)).toEqual(['ImplicitlyDenied']);
  });

  it('would be refused a Scan, and a query of another tenant\'s index partition, under the same session', async () => {
    const scan = new ScanCommand({ TableName: 'records' });
    const foreign = new QueryCommand({ TableName: 'records', IndexName: 'ByTime', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': 'T#globex#booking' } });
    const { principal } = session('bookings', 'acme');
    expect(await decideAll(policies, principal, [...tableRequestsOf(scan), ...tableRequestsOf(foreign)], 'acme')).toEqual(['ImplicitlyDenied', 'ImplicitlyDenied']);
  });

  it('outside a request (stream and queue work) goes through the function\'s own role, without assuming a tenant role', async () => {
    dynamo.on(GetCommand).resolves({});
    await wiring.appDeps().store.get('acme', bookingKind, 'B1');
    const [call] = dynamo.commandCalls(GetCommand);
    const { config } = call!.thisValue as DynamoDBDocumentClient;
    expect(await (config.credentials as () => Promise<{ accessKeyId: string }>)()).toMatchObject({ accessKeyId: 'AKIDEXAMPLE' });
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
  });
});
