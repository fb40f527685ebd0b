import { beforeEach, describe, expect, it } from 'vitest';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { messageTypeNames } from '#domain/messages/message-types.ts';
import { defaultTemplate } from '#domain/messages/default-templates.ts';
import { areaHandler } from '../support/area-handler.ts';
import { apiEvent, lambdaContext, parsed } from '../support/api-event.ts';

const { dynamo, handler } = areaHandler(() => import('#api/templates.ts'));


const call = (event: Parameters<typeof handler>[0]) => handler(event, lambdaContext);
const params = { messageType: 'booking_confirmed', channel: 'sms' };
const stored = {
  pk: 'T#acme',
  sk: 'template#booking_confirmed.sms',
  kind: 'template',
  tenantId: 'acme',
  id: 'booking_confirmed.sms',
  messageType: 'booking_confirmed',
  channel: 'sms',
  languages: { es: { text: 'Hola {{ client.firstName }}, cita confirmada. {{ business.name }}' } },
  version: 2,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-02T00:00:00.000Z',
};
const put = (body: unknown, headers: Record<string, string> = { 'if-match': '"0"' }, pathParameters = params) =>
  call(apiEvent({ routeKey: 'PUT /templates/{messageType}/{channel}', pathParameters, headers, body }));
const issuesOf = (result: { body?: string }) => parsed(result).error.details.issues as { path: string; message: string }[];

describe('GET /templates', () => {
  it('lists every message type and channel, marking the tenant’s own languages, from one query', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [stored] });
    const result = await call(apiEvent({ routeKey: 'GET /templates', query: { limit: '100' } }));
    expect(result.statusCode).toBe(200);
    const { items, nextCursor } = parsed(result);
    expect(items).toHaveLength(messageTypeNames.length * 2);
    expect(nextCursor).toBeNull();
    const own = items.find((item: { messageType: string; channel: string }) => item.messageType === 'booking_confirmed' && item.channel === 'sms');
    expect(own).toMatchObject({ version: 2, entity: 'booking', languages: { es: { text: stored.languages.es.text, origin: 'override' }, fr: { origin: 'default' } } });
    expect(own.variables).toContainEqual({ path: 'booking.date', description: expect.any(String) });
    const email = items.find((item: { messageType: string; channel: string }) => item.messageType === 'invoice_issued' && item.channel === 'email');
    expect(email).toMatchObject({ version: 0, languages: { it: { ...defaultTemplate('invoice_issued', 'email', 'it'), origin: 'default' } } });

    expect(dynamo.commandCalls(QueryCommand)).toHaveLength(1);
    expect(dynamo.commandCalls(QueryCommand)[0]!.args[0].input).toMatchObject({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': 'T#acme', ':prefix': 'template#' },
      Limit: 100,
    });
  });
});

describe('GET /templates/{messageType}/{channel}', () => {
  it('gives the defaults at version 0 when the tenant has no template of its own', async () => {
    dynamo.on(GetCommand).resolves({});
    const result = await call(apiEvent({ routeKey: 'GET /templates/{messageType}/{channel}', pathParameters: { messageType: 'booking_cancelled', channel: 'email' } }));
    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject({ etag: '"0"' });
    expect(parsed(result)).toMatchObject({ messageType: 'booking_cancelled', channel: 'email', version: 0, languages: { es: { ...defaultTemplate('booking_cancelled', 'email', 'es'), origin: 'default' } } });
    expect(dynamo.commandCalls(GetCommand)[0]!.args[0].input.Key).toEqual({ pk: 'T#acme', sk: 'template#booking_cancelled.email' });
  });

  it('carries the override’s version as ETag and reads the token’s tenant only', async () => {
    dynamo.on(GetCommand).resolves({ Item: stored });
    const result = await call(apiEvent({ routeKey: 'GET /templates/{messageType}/{channel}', pathParameters: params, tenantId: 'other' }));
    expect(result.headers).toMatchObject({ etag: '"2"' });
    expect(dynamo.commandCalls(GetCommand)[0]!.args[0].input.Key).toEqual({ pk: 'T#other', sk: 'template#booking_confirmed.sms' });
  });

  it.each([
    [{ messageType: 'booking_lost', channel: 'sms' }, 'path.messageType'],
    [{ messageType: 'booking_confirmed', channel: 'fax' }, 'path.channel'],
  ])('refuses %o with 400 naming the parameter', async (pathParameters, path) => {
    const result = await call(apiEvent({ routeKey: 'GET /templates/{messageType}/{channel}', pathParameters }));
    expect(result.statusCode).toBe(400);
    expect(issuesOf(result)[0]!.path).toBe(path);
    expect(dynamo.calls()).toHaveLength(0);
  });
});

describe('PUT /templates/{messageType}/{channel}', () => {
  // The business is on the default plan (a paid one): its plan item is not there.
  beforeEach(() => {
    dynamo.on(GetCommand).resolves({});
  });

  const body = { languages: { es: { text: 'Hola {{ client.firstName }}, tu cita del {{ booking.shortDate }} queda confirmada. {{ business.name }}' } } };

  it('creates the tenant’s template with If-Match "0"; other languages keep the default', async () => {
    dynamo.on(GetCommand).resolves({});
    dynamo.on(PutCommand).resolves({});
    const result = await put(body);
    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject({ etag: '"1"' });
    expect(parsed(result)).toMatchObject({ version: 1, languages: { es: { ...body.languages.es, origin: 'override' }, en: { origin: 'default' } } });
    expect(dynamo.commandCalls(PutCommand)[0]!.args[0].input).toMatchObject({
      ConditionExpression: 'attribute_not_exists(pk)',
      Item: { pk: 'T#acme', sk: 'template#booking_confirmed.sms', id: 'booking_confirmed.sms', messageType: 'booking_confirmed', channel: 'sms', languages: body.languages, version: 1 },
    });
  });

  it('replaces it on the version read and bumps it', async () => {
    dynamo.on(GetCommand, { Key: { sk: stored.sk } }).resolves({ Item: stored });
    dynamo.on(PutCommand).resolves({});
    const result = await put({ languages: { fr: { text: 'Bonjour {{ client.firstName }}' } } }, { 'if-match': '"2"' });
    expect(result.statusCode).toBe(200);
    expect(parsed(result)).toMatchObject({ version: 3, languages: { fr: { origin: 'override' }, es: { origin: 'default' } } });
    expect(dynamo.commandCalls(PutCommand)[0]!.args[0].input).toMatchObject({
      ConditionExpression: 'version = :expected',
      ExpressionAttributeValues: { ':expected': 2 },
      Item: { languages: { fr: { text: 'Bonjour {{ client.firstName }}' } }, version: 3, createdAt: stored.createdAt },
    });
  });

  it('refuses a business on the free plan with 403 naming the plan, and writes nothing', async () => {
    const plan = { pk: 'T#acme', sk: 'plan#current', kind: 'plan', tenantId: 'acme', id: 'current', plan: 'free', version: 1, createdAt: stored.createdAt, updatedAt: stored.updatedAt };
    dynamo.on(GetCommand, { Key: { sk: 'plan#current' } }).resolves({ Item: plan });
    const result = await put(body);
    expect(result.statusCode).toBe(403);
    expect(parsed(result).error).toMatchObject({ code: 'plan_required', details: { plan: 'free', requires: ['standard', 'pro'] } });
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('needs If-Match', async () => {
    const result = await put(body, {});
    expect(result.statusCode).toBe(428);
    expect(dynamo.calls()).toHaveLength(0);
  });

  it.each([
    ['a stale version', '"1"'],
    ['"0" when a template exists', '"0"'],
  ])('refuses %s with 412 and writes nothing', async (_name, ifMatch) => {
    dynamo.on(GetCommand, { Key: { sk: stored.sk } }).resolves({ Item: stored });
    const result = await put(body, { 'if-match': ifMatch });
    expect(result.statusCode).toBe(412);
    expect(parsed(result).error.details.currentVersion).toBe(2);
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('refuses a version when there is no template yet', async () => {
    dynamo.on(GetCommand).resolves({});
    const result = await put(body, { 'if-match': '"4"' });
    expect(result.statusCode).toBe(412);
    expect(parsed(result).error.details.currentVersion).toBe(0);
  });

  it('reports a concurrent write as 412', async () => {
    dynamo.on(GetCommand, { Key: { sk: stored.sk } }).resolves({ Item: stored });
    dynamo.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'failed', $metadata: {}, Item: { version: { N: '3' } } }));
    expect((await put(body, { 'if-match': '"2"' })).statusCode).toBe(412);
  });

  it('refuses a syntax error and an unknown variable with 400 naming each language and field, before any read', async () => {
    const result = await put(
      {
        languages: {
          es: { subject: 'Tu cita', text: 'Hola {{ client.firstName' },
          fr: { subject: 'Facture {{ invoice.number }}', text: 'Bonjour {{ client.firstName }}' },
        },
      },
      { 'if-match': '"0"' },
      { messageType: 'booking_confirmed', channel: 'email' },
    );
    expect(result.statusCode).toBe(400);
    expect(parsed(result).error).toMatchObject({ code: 'validation_failed', message: 'The template is not valid' });
    expect(issuesOf(result)).toEqual([
      { path: 'languages.es.text', message: expect.stringContaining('Liquid syntax error at line 1') },
      { path: 'languages.fr.subject', message: expect.stringContaining('unknown variable {{ invoice.number }}') },
    ]);
    expect(dynamo.calls()).toHaveLength(0);
  });

  it.each([
    ['an SMS with a subject', { languages: { it: { subject: 'Ciao', text: 'Ciao' } } }, 'languages.it.subject'],
    ['an SMS over 1600 characters', { languages: { en: { text: 'x'.repeat(1601) } } }, 'languages.en.text'],
    ['an SMS over 10 segments once rendered', { languages: { en: { text: 'x'.repeat(1531) } } }, 'languages.en.text'],
    ['a loop over a name, over the limit on a long one', { languages: { en: { text: '{% for i in (1..20) %}{{ client.firstName }}{% endfor %}' } } }, 'languages.en.text'],
    ['no language at all', { languages: {} }, 'languages'],
    ['an unknown language', { languages: { de: { text: 'Hallo' } } }, 'languages.de'],
    ['an unknown field', { languages: { es: { text: 'Hola', footer: 'x' } } }, 'languages.es.footer'],
    ['a missing text', { languages: { es: {} } }, 'languages.es.text'],
  ])('refuses %s with 400 naming %s', async (_name, invalid, path) => {
    const result = await put(invalid);
    expect(result.statusCode).toBe(400);
    expect(issuesOf(result).map((issue) => issue.path)).toContain(path);
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('needs a subject for an email', async () => {
    const result = await put({ languages: { es: { text: 'Hola' } } }, { 'if-match': '"0"' }, { messageType: 'booking_confirmed', channel: 'email' });
    expect(issuesOf(result)).toEqual([{ path: 'languages.es.subject', message: 'an email needs a subject' }]);
  });
});

describe('DELETE /templates/{messageType}/{channel}', () => {
  const remove = (headers: Record<string, string> = {}) => call(apiEvent({ routeKey: 'DELETE /templates/{messageType}/{channel}', pathParameters: params, headers }));

  it('goes back to the defaults, conditional on the version read', async () => {
    dynamo.on(GetCommand).resolves({ Item: stored });
    dynamo.on(DeleteCommand).resolves({});
    expect((await remove({ 'if-match': '"2"' })).statusCode).toBe(204);
    expect(dynamo.commandCalls(DeleteCommand)[0]!.args[0].input).toMatchObject({
      Key: { pk: 'T#acme', sk: 'template#booking_confirmed.sms' },
      ConditionExpression: 'version = :expected',
      ExpressionAttributeValues: { ':expected': 2 },
    });
  });

  it('answers 204 without a write when only defaults apply', async () => {
    dynamo.on(GetCommand).resolves({});
    expect((await remove()).statusCode).toBe(204);
    expect(dynamo.commandCalls(DeleteCommand)).toHaveLength(0);
  });

  it('refuses a stale If-Match', async () => {
    dynamo.on(GetCommand).resolves({ Item: stored });
    expect((await remove({ 'if-match': '"1"' })).statusCode).toBe(412);
    expect(dynamo.commandCalls(DeleteCommand)).toHaveLength(0);
  });
});

describe('POST /templates/preview', () => {
  const preview = (body: unknown) => call(apiEvent({ routeKey: 'POST /templates/preview', body }));

  it('renders an SMS with sample data merged with the given data, and counts its segments', async () => {
    const result = await preview({
      messageType: 'invoice_issued',
      channel: 'sms',
      language: 'es',
      template: { text: 'Hola {{ client.firstName }} {{ client.lastName }}: factura {{ invoice.number }} de {{ invoice.amount }}.' },
      data: { client: { firstName: 'Lucía' } },
    });
    expect(result.statusCode).toBe(200);
    // Lucía's í is outside GSM-7; the sample's last name and amount stay.
    expect(parsed(result)).toEqual({ text: 'Hola Lucía Moreno: factura F-2026-0042 de 120,50 €.', sms: { encoding: 'UCS-2', characters: 51, segments: 1 } });
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('counts € as two GSM-7 characters', async () => {
    const result = await preview({ messageType: 'invoice_issued', channel: 'sms', language: 'fr', template: { text: '{{ invoice.amount }}' } });
    expect(parsed(result)).toEqual({ text: '120,50 €', sms: { encoding: 'GSM-7', characters: 9, segments: 1 } });
  });

  it('renders the template in use when none is given: the tenant’s own', async () => {
    dynamo.on(GetCommand).resolves({ Item: stored });
    const result = await preview({ messageType: 'booking_confirmed', channel: 'sms', language: 'es' });
    expect(parsed(result).text).toBe('Hola Ana, cita confirmada. Estética Luna');
    expect(dynamo.commandCalls(GetCommand)[0]!.args[0].input.Key).toEqual({ pk: 'T#acme', sk: 'template#booking_confirmed.sms' });
  });

  it('renders an email with its subject and escaped html; data cannot reach a prototype', async () => {
    dynamo.on(GetCommand).resolves({});
    const body = '{"messageType":"booking_confirmed","channel":"email","language":"it","data":{"client":{"firstName":"<b>Chiara</b>","__proto__":{"polluted":"yes"}}}}';
    const result = await preview(body);
    expect(result.statusCode).toBe(200);
    const rendered = parsed(result);
    expect(rendered.subject).toBe('Il tuo appuntamento da Salone Aurora è confermato');
    expect(rendered.text).toMatch(/^Ciao <b>Chiara<\/b>,\n\nbuone notizie: abbiamo confermato il tuo appuntamento/);
    expect(rendered.html).toContain('Ciao &lt;b&gt;Chiara&lt;/b&gt;,</p>');
    expect(rendered).not.toHaveProperty('sms');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses an invalid template with 400 naming the field, before any read', async () => {
    const result = await preview({ messageType: 'booking_confirmed', channel: 'email', language: 'en', template: { subject: 'Hi', text: 'Hi {{ client.age }}' } });
    expect(result.statusCode).toBe(400);
    expect(issuesOf(result)).toEqual([{ path: 'template.text', message: expect.stringContaining('unknown variable {{ client.age }}') }]);
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('refuses a preview whose data makes it over the SMS limit, naming data and the limit', async () => {
    const template = { text: '{% for i in (1..3) %}{{ client.firstName }}{% endfor %}' };
    const result = await preview({ messageType: 'booking_confirmed', channel: 'sms', language: 'en', template, data: { client: { firstName: 'x'.repeat(2000) } } });
    expect(result.statusCode).toBe(400);
    expect(issuesOf(result)).toEqual([{ path: 'data', message: expect.stringMatching(/over the limit of 10 segments|segments; an SMS may have at most 10/) }]);
  });

  it('refuses a template that renders over the limit on a long name, though short on the sample', async () => {
    const template = { text: '{% for i in (1..20) %}{{ client.firstName }}{% endfor %}' };
    const result = await preview({ messageType: 'booking_confirmed', channel: 'sms', language: 'en', template });
    expect(result.statusCode).toBe(400);
    expect(issuesOf(result)).toEqual([{ path: 'template.text', message: expect.stringMatching(/^renders to /) }]);
  });

  it.each([
    [{ messageType: 'booking_confirmed', channel: 'sms', language: 'es', data: { client: { firstName: 'x'.repeat(2001) } } }, 'data.client.firstName'],
    [{ messageType: 'booking_confirmed', channel: 'sms', language: 'es', data: { client: { firstName: { deeper: 'x' } } } }, 'data.client.firstName'],
    [{ messageType: 'booking_confirmed', channel: 'sms', language: 'es', data: { client: 'Ana' } }, 'data.client'],
    [{ messageType: 'nope', channel: 'sms', language: 'es' }, 'messageType'],
    [{ messageType: 'booking_confirmed', channel: 'sms', language: 'de' }, 'language'],
    [{ messageType: 'booking_confirmed', channel: 'sms', language: 'es', extra: 1 }, 'extra'],
  ])('refuses %o with 400', async (body, path) => {
    const result = await preview(body);
    expect(result.statusCode).toBe(400);
    expect(issuesOf(result).map((issue) => issue.path)).toContain(path);
  });
});
