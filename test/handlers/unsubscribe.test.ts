import { beforeAll, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { BatchGetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { apiEvent, lambdaContext } from '../support/api-event.ts';
import { areaHandler } from '../support/area-handler.ts';
import { signUnsubscribeToken } from '#domain/unsubscribe-token.ts';
import { useClock } from '#adapters/clock.ts';
import { generateSecret } from '#local/token-key.ts';

const secrets = mockClient(SecretsManagerClient);
const key = 'u'.repeat(64);
const { dynamo, handler } = areaHandler(() => import('#api/unsubscribe.ts'));
const now = new Date('2026-03-01T10:00:00Z');
beforeAll(() => {
  process.env.UNSUBSCRIBE_KEY_SECRET = 'unsubscribe-key';
  secrets.on(GetSecretValueCommand, { SecretId: 'unsubscribe-key' }).resolves({ SecretString: key });
  useClock(() => now);
});

const storedAt = { createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' };
const client = { kind: 'client', id: 'C1', version: 4, firstName: 'Ana', email: 'ana@example.com', language: 'it', consent: { email: true, sms: false }, status: 'active', customFields: {}, ...storedAt };
const loads = (stored: object | undefined = client) => dynamo.on(BatchGetCommand).resolves({ Responses: { records: stored ? [stored] : [] } });
const linkFor = (claims: { clientId?: string; kind?: string } = {}, signingKey: Uint8Array = new TextEncoder().encode(key)) =>
  signUnsubscribeToken(signingKey, { tenantId: 'acme', clientId: 'C1', channel: 'email', kind: 'booking_follow_up', ...claims }, now);
const call = (method: 'GET' | 'POST', link: string, body?: string, contentType = 'application/x-www-form-urlencoded') =>
  handler(
    apiEvent({ routeKey: `${method} /public/unsubscribe`, query: { link }, tenantId: null, ...(body === undefined ? {} : { body, headers: { 'content-type': contentType } }) }),
    lambdaContext,
  );
/** The client records written, by a put or in a transaction. */
const writtenClients = () => [
  ...dynamo.commandCalls(PutCommand).map((c) => c.args[0].input.Item!),
  ...dynamo.commandCalls(TransactWriteCommand).flatMap((c) => c.args[0].input.TransactItems!.flatMap((item) => (item.Put?.Item?.kind === 'client' ? [item.Put.Item] : []))),
];

describe('the unsubscribe area', () => {
  it('answers the page in the client’s language, as HTML that is not cached and passes no referrer', async () => {
    loads();
    dynamo.on(UpdateCommand).resolves({ Attributes: { count: 1 } });
    const result = await call('GET', await linkFor());
    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
    expect(result.body).toContain('<html lang="it">');
    expect(result.body).toContain('Non ricevere più email come quella che ho ricevuto');
  });

  it('a one-click POST, urlencoded or multipart, writes the kind on the card under its version', async () => {
    for (const [body, contentType] of [
      ['List-Unsubscribe=One-Click', 'application/x-www-form-urlencoded'],
      ['--b\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--b--\r\n', 'multipart/form-data; boundary=b'],
    ] as const) {
      dynamo.reset();
      loads();
      dynamo.on(UpdateCommand).resolves({ Attributes: { count: 1 } });
      dynamo.on(PutCommand).resolves({});
      dynamo.on(TransactWriteCommand).resolves({});
      const result = await call('POST', await linkFor(), body, contentType);
      expect(result.statusCode).toBe(200);
      expect(result.body).toContain('Fatto');
      const [written] = writtenClients();
      expect(written).toMatchObject({ id: 'C1', version: 5, unsubscribed: { email: { booking_follow_up: { at: now.toISOString(), source: 'one_click' } } } });
    }
  });

  it('writes nothing when the card already has it', async () => {
    loads({ ...client, unsubscribed: { email: { booking_follow_up: { at: '2026-02-01T00:00:00.000Z', source: 'one_click' } } } });
    dynamo.on(UpdateCommand).resolves({ Attributes: { count: 1 } });
    expect((await call('POST', await linkFor(), 'List-Unsubscribe=One-Click')).statusCode).toBe(200);
    expect(writtenClients()).toEqual([]);
  });

  it('answers every bad link with the same neutral page, reading nothing for a forged one', async () => {
    loads(undefined);
    dynamo.on(UpdateCommand).resolves({ Attributes: { count: 1 } });
    const forged = await call('POST', await linkFor({}, generateSecret()), 'List-Unsubscribe=One-Click');
    expect(dynamo.calls()).toHaveLength(0);
    const garbage = await call('GET', 'garbage');
    // A valid link whose client is gone: the same page.
    const gone = await call('GET', await linkFor({ clientId: 'C9' }));
    for (const result of [forged, garbage, gone]) {
      expect(result.statusCode).toBe(400);
      expect(result.body).toBe(forged.body);
    }
    expect(writtenClients()).toEqual([]);
  });

  it('refuses a JSON body with 415', async () => {
    loads();
    const result = await call('POST', await linkFor(), '{"List-Unsubscribe":"One-Click"}', 'application/json');
    expect(result.statusCode).toBe(415);
    expect(writtenClients()).toEqual([]);
  });

  it('reads the key once per container', () => {
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });
});
