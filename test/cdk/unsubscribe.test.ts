import { describe, expect, it } from 'vitest';
import { apiAreas } from '#api/catalog.ts';
import { MessagesStack } from '#infra/messages-stack.ts';
import { appLikeCli, grantsOf, SKIP_BUNDLING, templateOf } from './support.ts';

// The unsubscribe links' key: a generated secret that only the function signing links (delivery)
// and the one checking them (the unsubscribe area) may read, and the public base URL links use.
const app = appLikeCli({ ...SKIP_BUNDLING });
const stack = new MessagesStack(app, 'ClientMessages', { areas: apiAreas });
const { resources, ofType, idOf } = templateOf(stack);
const secretId = idOf(stack.unsubscribeKey);
const secretRef = { Ref: secretId };
const environmentOf = (fn: { function: unknown }) => (resources[idOf(fn.function as never)]!.Properties.Environment as { Variables: Record<string, unknown> }).Variables;

describe('the unsubscribe key', () => {
  it('is a secret CloudFormation generates: 64 letters and digits, never in the template', () => {
    // The stack's other secret is the edge's origin secret (test/cdk/edge.test.ts).
    const secrets = ofType('AWS::SecretsManager::Secret').filter(([id]) => id !== idOf(stack.edge.originSecret));
    expect(secrets.map(([id]) => id)).toEqual([secretId]);
    expect(secrets[0]![1].Properties.GenerateSecretString).toEqual({ PasswordLength: 64, ExcludePunctuation: true });
    expect(secrets[0]![1].Properties.SecretString).toBeUndefined();
  });

  it('is readable by delivery and the unsubscribe area only, and only that secret', () => {
    const readers = Object.entries(resources)
      .filter(([, resource]) => resource.Type === 'AWS::IAM::Policy')
      .filter(([id]) => grantsOf({ [id]: resources[id]! }).some((grant) => grant.action.startsWith('secretsmanager:')));
    const roles = readers.flatMap(([, resource]) => resource.Properties.Roles as unknown[]);
    expect(roles).toEqual(expect.arrayContaining([{ Ref: idOf(stack.delivery.fn.role) }, { Ref: idOf(stack.functions.get('unsubscribe')!.role) }]));
    expect(roles).toHaveLength(2);
    const grants = grantsOf(resources).filter((grant) => grant.action.startsWith('secretsmanager:'));
    expect(new Set(grants.map((grant) => grant.action))).toEqual(new Set(['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret']));
    for (const grant of grants) expect(grant.resource).toEqual(secretRef);
  });

  it('is named to both functions, and delivery knows the edge’s URL for the links (public routes answer only through the edge)', () => {
    const edgeUrl = { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [idOf(stack.edge.distribution), 'DomainName'] }]] };
    expect(environmentOf(stack.delivery.fn)).toMatchObject({ UNSUBSCRIBE_KEY_SECRET: secretRef, PUBLIC_BASE_URL: edgeUrl });
    expect(environmentOf(stack.functions.get('unsubscribe')!)).toMatchObject({ UNSUBSCRIBE_KEY_SECRET: secretRef });
    expect(environmentOf(stack.functions.get('public')!)).not.toHaveProperty('UNSUBSCRIBE_KEY_SECRET');
  });

  it('serves the unsubscribe routes without the JWT authorizer', () => {
    const routes = ofType('AWS::ApiGatewayV2::Route').filter(([, route]) => String(route.Properties.RouteKey).includes('/public/unsubscribe'));
    expect(routes.map(([, route]) => route.Properties.RouteKey).sort()).toEqual(['GET /public/unsubscribe', 'POST /public/unsubscribe']);
    for (const [, route] of routes) expect(route.Properties.AuthorizationType).toBe('NONE');
  });
});
