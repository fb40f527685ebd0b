import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import {
  AlreadyExistsException,
  CreateEmailIdentityCommand,
  CreateTenantCommand,
  CreateTenantResourceAssociationCommand,
  GetEmailIdentityCommand,
  GetReputationEntityCommand,
  GetTenantCommand,
  SESv2Client,
} from '@aws-sdk/client-sesv2';
import { sesTenantNameOf } from '#domain/identities.ts';
import { mailboxOf } from '#domain/sender.ts';
import { areaHandler } from '../support/area-handler.ts';
import { apiEvent, lambdaContext, parsed } from '../support/api-event.ts';

const ses = mockClient(SESv2Client);
beforeAll(() => {
  Object.assign(process.env, {
    SENDER_EMAIL: 'citas@platform.example',
    SES_TENANT_PREFIX: 'ClientMessages',
    SES_CONFIGURATION_SET_ARN: 'arn:aws:ses:eu-west-1:111122223333:configuration-set/messages',
    SES_IDENTITY_ARN_PREFIX: 'arn:aws:ses:eu-west-1:111122223333:identity/',
  });
});
const { dynamo, handler } = areaHandler(() => import('#api/settings.ts'));
beforeEach(() => ses.reset());

const tenantName = sesTenantNameOf('ClientMessages', 'acme');
const ownTags = [
  { Key: 'client-messages:stack', Value: 'ClientMessages' },
  { Key: 'client-messages:tenant', Value: 'acme' },
];
const at = '2026-03-01T10:00:00.000Z';
const settings = { kind: 'settings', id: 'current', version: 1, businessName: 'Salón Lucía', contactEmail: 'lucia@gmail.example', timeZone: 'Europe/Madrid', defaultLanguage: 'es', bookingApproval: 'automatic', orderStatuses: ['New'], leadStatuses: ['New'], createdAt: at, updatedAt: at };
const withTenant = { kind: 'senderIdentity', id: 'current', version: 1, tenant: { name: tenantName, createdAt: at }, createdAt: at, updatedAt: at };
const tokens = ['tok1', 'tok2', 'tok3'];

/** The table holds these items, by sort key (`settings#current`, `senderIdentity#current`); claims are free. */
const storing = (items: Record<string, object>) => {
  dynamo.on(GetCommand).callsFake((input: { Key: { sk: string } }) => ({ Item: items[input.Key.sk] }));
  dynamo.on(PutCommand).resolves({});
  dynamo.on(TransactWriteCommand).resolves({});
};
const tenantAnswers = () => {
  ses.on(GetTenantCommand).resolves({ Tenant: { TenantName: tenantName, TenantArn: `arn:aws:ses:eu-west-1:111122223333:tenant/${tenantName}/t-1`, SendingStatus: 'ENABLED' } });
  ses.on(GetReputationEntityCommand).resolves({ ReputationEntity: { SendingStatusAggregate: 'ENABLED', ReputationImpact: 'LOW' } });
};
const written = () => [
  ...dynamo.commandCalls(PutCommand).map((call) => call.args[0].input.Item!),
  ...dynamo.commandCalls(TransactWriteCommand).flatMap((call) => call.args[0].input.TransactItems!.flatMap((item) => (item.Put ? [item.Put.Item!] : []))),
];

describe('the business as an SES tenant', () => {
  it('is created, tagged, with tenant-level suppression and the configuration set, when settings are first saved', async () => {
    storing({});
    const body = { businessName: 'Salón Lucía', timeZone: 'Europe/Madrid', defaultLanguage: 'es', bookingApproval: 'automatic', orderStatuses: ['New'], leadStatuses: ['New'] };
    const result = await handler(apiEvent({ routeKey: 'PUT /settings', headers: { 'if-match': '"0"' }, body }), lambdaContext);
    expect(result.statusCode).toBe(200);
    expect(ses.commandCalls(CreateTenantCommand).map((call) => call.args[0].input)).toEqual([
      { TenantName: tenantName, Tags: ownTags, SuppressionAttributes: { SuppressionScope: 'TENANT', SuppressedReasons: ['BOUNCE', 'COMPLAINT'] } },
    ]);
    expect(ses.commandCalls(CreateTenantResourceAssociationCommand).map((call) => call.args[0].input)).toEqual([
      { TenantName: tenantName, ResourceArn: 'arn:aws:ses:eu-west-1:111122223333:configuration-set/messages' },
    ]);
    expect(written().find((item) => item.kind === 'senderIdentity')).toMatchObject({ tenant: { name: tenantName } });
  });

  it('that exists already is fine', async () => {
    storing({});
    ses.on(CreateTenantCommand).rejects(new AlreadyExistsException({ message: 'exists', $metadata: {} }));
    ses.on(CreateTenantResourceAssociationCommand).rejects(new AlreadyExistsException({ message: 'exists', $metadata: {} }));
    const body = { businessName: 'X', timeZone: 'UTC', defaultLanguage: 'en', bookingApproval: 'automatic', orderStatuses: ['New'], leadStatuses: ['New'] };
    const result = await handler(apiEvent({ routeKey: 'PUT /settings', headers: { 'if-match': '"0"' }, body }), lambdaContext);
    expect(result.statusCode).toBe(200);
    expect(written().find((item) => item.kind === 'senderIdentity')).toMatchObject({ tenant: { name: tenantName } });
  });

  it('leaves the settings saved when SES does not answer', async () => {
    storing({});
    ses.on(CreateTenantCommand).rejects(Object.assign(new Error('down'), { name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } }));
    const body = { businessName: 'X', timeZone: 'UTC', defaultLanguage: 'en', bookingApproval: 'automatic', orderStatuses: ['New'], leadStatuses: ['New'] };
    const result = await handler(apiEvent({ routeKey: 'PUT /settings', headers: { 'if-match': '"0"' }, body }), lambdaContext);
    expect(result.statusCode).toBe(200);
    expect(written().map((item) => item.kind)).toEqual(['settings']);
  });
});

describe('PUT /settings/sender/domain', () => {
  it('creates the domain identity with Easy DKIM and the business\'s tags, in its tenant, and answers the DKIM records', async () => {
    storing({ 'settings#current': settings, 'senderIdentity#current': withTenant });
    ses.on(CreateEmailIdentityCommand).resolves({ IdentityType: 'DOMAIN', VerifiedForSendingStatus: false, DkimAttributes: { Status: 'PENDING', Tokens: tokens } });
    tenantAnswers();
    const result = await handler(apiEvent({ routeKey: 'PUT /settings/sender/domain', headers: { 'if-match': '"1"' }, body: { domain: 'Salon-Lucia.es', localPart: 'citas' } }), lambdaContext);
    expect(result.statusCode).toBe(200);
    expect(ses.commandCalls(CreateEmailIdentityCommand).map((call) => call.args[0].input)).toEqual([{ EmailIdentity: 'salon-lucia.es', Tags: ownTags }]);
    expect(ses.commandCalls(CreateTenantResourceAssociationCommand).map((call) => call.args[0].input)).toEqual([
      { TenantName: tenantName, ResourceArn: 'arn:aws:ses:eu-west-1:111122223333:identity/salon-lucia.es' },
    ]);
    expect(ses.commandCalls(CreateTenantCommand)).toHaveLength(0);
    const body = parsed(result);
    expect(result.headers?.etag).toBe('"2"');
    expect(body).toMatchObject({
      version: 2,
      status: 'pending',
      effectiveFrom: mailboxOf('Salón Lucía', 'citas@platform.example'),
      replyTo: 'lucia@gmail.example',
      domain: { name: 'salon-lucia.es', address: 'citas@salon-lucia.es', status: 'pending' },
      tenant: { name: tenantName, sendingStatus: 'ENABLED', reputationImpact: 'LOW' },
    });
    expect(body.domain.dkimRecords).toEqual(tokens.map((token) => ({ name: `${token}._domainkey.salon-lucia.es`, type: 'CNAME', value: `${token}.dkim.amazonses.com` })));
    expect(written().find((item) => item.kind === 'senderIdentity')).toMatchObject({ domain: { name: 'salon-lucia.es', status: 'pending' } });
  });

  it('refuses a domain that is another owner\'s SES identity, and stores nothing', async () => {
    storing({ 'settings#current': settings, 'senderIdentity#current': withTenant });
    ses.on(CreateEmailIdentityCommand).rejects(new AlreadyExistsException({ message: 'exists', $metadata: {} }));
    ses.on(GetEmailIdentityCommand).resolves({ Tags: [{ Key: 'client-messages:stack', Value: 'OtherStage' }] });
    const result = await handler(apiEvent({ routeKey: 'PUT /settings/sender/domain', headers: { 'if-match': '"1"' }, body: { domain: 'salon-lucia.es', localPart: 'citas' } }), lambdaContext);
    expect(result.statusCode).toBe(409);
    expect(ses.commandCalls(CreateTenantResourceAssociationCommand)).toHaveLength(0);
    expect(written()).toEqual([]);
  });

  it('refuses an invalid domain with a 400 before SES is asked', async () => {
    storing({ 'senderIdentity#current': withTenant });
    const result = await handler(apiEvent({ routeKey: 'PUT /settings/sender/domain', headers: { 'if-match': '"1"' }, body: { domain: 'not a domain', localPart: 'citas' } }), lambdaContext);
    expect(result.statusCode).toBe(400);
    expect(parsed(result).error.details.issues[0].path).toBe('domain');
    expect(ses.calls()).toHaveLength(0);
  });

  it('refuses a stale If-Match with 412 before SES is asked', async () => {
    storing({ 'senderIdentity#current': withTenant });
    const result = await handler(apiEvent({ routeKey: 'PUT /settings/sender/domain', headers: { 'if-match': '"0"' }, body: { domain: 'salon-lucia.es', localPart: 'citas' } }), lambdaContext);
    expect(result.statusCode).toBe(412);
    expect(ses.calls()).toHaveLength(0);
  });
});

describe('GET /settings/sender', () => {
  const pending = { ...withTenant, domain: { name: 'salon-lucia.es', localPart: 'citas', status: 'pending', dkimRecords: [], registeredAt: at, checkedAt: at } };

  it('reads the verification from SES and stores it when it changed: once verified, the own address', async () => {
    storing({ 'settings#current': settings, 'senderIdentity#current': pending });
    ses.on(GetEmailIdentityCommand).resolves({ VerifiedForSendingStatus: true, DkimAttributes: { Status: 'SUCCESS', Tokens: tokens } });
    tenantAnswers();
    const result = await handler(apiEvent({ routeKey: 'GET /settings/sender' }), lambdaContext);
    expect(result.statusCode).toBe(200);
    expect(ses.commandCalls(GetEmailIdentityCommand).map((call) => call.args[0].input)).toEqual([{ EmailIdentity: 'salon-lucia.es' }]);
    expect(ses.commandCalls(GetReputationEntityCommand).map((call) => call.args[0].input)).toEqual([
      { ReputationEntityReference: `arn:aws:ses:eu-west-1:111122223333:tenant/${tenantName}/t-1`, ReputationEntityType: 'RESOURCE' },
    ]);
    expect(parsed(result)).toMatchObject({ status: 'verified', effectiveFrom: mailboxOf('Salón Lucía', 'citas@salon-lucia.es'), version: 2 });
    expect(written()).toEqual([expect.objectContaining({ kind: 'senderIdentity', version: 2, domain: expect.objectContaining({ status: 'verified' }) })]);
  });

  it('shows a verification that failed later, keeps the platform address and says why', async () => {
    storing({ 'settings#current': settings, 'senderIdentity#current': { ...pending, domain: { ...pending.domain, status: 'verified' } } });
    ses.on(GetEmailIdentityCommand).resolves({ VerifiedForSendingStatus: false, DkimAttributes: { Status: 'FAILED', Tokens: tokens }, VerificationInfo: { ErrorType: 'HOST_NOT_FOUND' } });
    tenantAnswers();
    const body = parsed(await handler(apiEvent({ routeKey: 'GET /settings/sender' }), lambdaContext));
    expect(body).toMatchObject({ status: 'failed', effectiveFrom: mailboxOf('Salón Lucía', 'citas@platform.example'), reason: expect.stringContaining('HOST_NOT_FOUND') });
  });

  it('is the platform address with the business name, and asks SES nothing, before any save', async () => {
    storing({});
    const result = await handler(apiEvent({ routeKey: 'GET /settings/sender' }), lambdaContext);
    expect(parsed(result)).toEqual({ version: 0, status: 'platform', effectiveFrom: 'citas@platform.example' });
    expect(ses.calls()).toHaveLength(0);
  });
});
