import { describe, expect, it } from 'vitest';
import { languages, type Language } from '#domain/values.ts';
import { channels, messageTypeNames, messageTypes, type MessageType } from '#domain/messages/message-types.ts';
import { allowedVariables, longestContext, messageVariables, sampleContext, type MessageContextInput } from '#domain/messages/message-variables.ts';
import { defaultTemplate, defaultTemplates } from '#domain/messages/default-templates.ts';
import { effectiveTemplate, RenderedTooLong, renderTemplate, templateOverrideOf, validateTemplate } from '#domain/messages/templates.ts';
import { smsInfo } from '#domain/messages/sms-encoding.ts';

const everyTemplate = languages.flatMap((language) =>
  messageTypeNames.flatMap((messageType) => channels.map((channel) => [language, messageType, channel] as const)),
);

const madrid = { name: 'Estética Luna', timeZone: 'Europe/Madrid' };
const booking = (overrides: Partial<MessageContextInput> = {}): MessageContextInput => ({
  messageType: 'booking_confirmed',
  language: 'es',
  business: madrid,
  client: { firstName: 'Ana', lastName: 'Moreno' },
  record: { service: 'Corte', start: '2026-03-29T08:00:00Z', end: '2026-03-29T08:45:00Z' },
  ...overrides,
});

describe('default templates', () => {
  it('exist for every message type, channel and language', () => {
    for (const language of languages) {
      expect(Object.keys(defaultTemplates[language]).sort()).toEqual([...messageTypeNames].sort());
    }
  });

  it.each(everyTemplate)('%s %s %s validates against its allowed variables', (language, messageType, channel) => {
    expect(validateTemplate(defaultTemplate(messageType, channel, language), messageType, channel)).toEqual([]);
  });

  it.each(everyTemplate)('%s %s %s renders its sample with every variable it uses filled', (language, messageType, channel) => {
    const source = defaultTemplate(messageType, channel, language);
    const sample = sampleContext(messageType, language);
    const used = [...`${source.subject ?? ''} ${source.text}`.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((match) => match[1]!);
    expect(used).toContain('business.name');
    for (const path of used) {
      const value = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], sample);
      expect(value, path).toMatch(/\S/);
    }
    const rendered = renderTemplate(source, sample, channel);
    expect(rendered.text).not.toMatch(/\{\{|\{%|%\}|\}\}/);
    expect(rendered.text).toContain((sample.business as { name: string }).name);
    if (channel === 'email') expect(rendered.subject).toMatch(/\S/);
  });

  it.each(languages.flatMap((language) => messageTypeNames.map((messageType) => [language, messageType] as const)))(
    '%s %s: the SMS fits one GSM-7 segment with the sample data',
    (language, messageType) => {
      const { text } = renderTemplate(defaultTemplate(messageType, 'sms', language), sampleContext(messageType, language), 'sms');
      expect(smsInfo(text)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    },
  );

  // The owner reads these without the record open: they must say who it is about and which record.
  const recordFacts = { booking: ['service'], invoice: ['number', 'amount', 'dueDate'], estimate: ['number', 'amount', 'expiresOn'] } as const;
  const businessTypes = messageTypeNames.filter((messageType) => 'audience' in messageTypes[messageType]);
  it.each(languages.flatMap((language) => businessTypes.flatMap((messageType) => channels.map((channel) => [language, messageType, channel] as const))))(
    '%s %s %s names the client in full and the record, without greeting the client',
    (language, messageType, channel) => {
      const sample = sampleContext(messageType, language);
      const { subject = '', text } = renderTemplate(defaultTemplate(messageType, channel, language), sample, channel);
      const client = sample.client as Record<string, string>;
      const entity = messageTypes[messageType].entity as keyof typeof recordFacts;
      const record = sample[entity] as Record<string, string>;
      expect(`${subject} ${text}`).toContain(client.fullName);
      for (const fact of recordFacts[entity]) expect(text, fact).toContain(record[fact]);
      expect(text).not.toMatch(new RegExp(`^\\S+,? ${client.firstName}\\b`));
    },
  );

  it('has no subject for SMS and one for email', () => {
    expect(defaultTemplate('booking_confirmed', 'sms', 'fr')).toEqual({ text: expect.any(String) });
    expect(defaultTemplate('booking_confirmed', 'email', 'fr').subject).toBe('Votre rendez-vous{% if business.name %} chez {{ business.name }}{% endif %} est confirmé');
  });

  // A business that never saved its settings has no name: the texts leave it out, with its preposition.
  const unnamed = (messageType: MessageType, language: Language) => messageVariables({ ...booking({ messageType, language }), business: { name: '', timeZone: 'UTC' } });
  it.each([
    ['en', 'Your appointment is confirmed', 'See you soon,'],
    ['es', 'Tu cita está confirmada', '¡Hasta pronto!'],
    ['fr', 'Votre rendez-vous est confirmé', 'À bientôt,'],
    ['it', 'Il tuo appuntamento è confermato', 'A presto,'],
  ] as const)('%s: a business without a name is confirmed as "%s", signed with the closing alone', (language, subject, closing) => {
    const email = renderTemplate(defaultTemplate('booking_confirmation', 'email', language), unnamed('booking_confirmation', language), 'email');
    expect(email.subject).toBe(subject);
    expect(email.text.endsWith(`\n${closing}`)).toBe(true);
    const sms = renderTemplate(defaultTemplate('booking_confirmation', 'sms', language), unnamed('booking_confirmation', language), 'sms');
    expect(sms.text).not.toMatch(/ - $| -$/);
  });

  it.each(everyTemplate)('%s %s %s reads without a business name: no dangling preposition, dash or double space', (language, messageType, channel) => {
    const variables = { ...sampleContext(messageType, language), business: {} };
    const { subject = '', text } = renderTemplate(defaultTemplate(messageType, channel, language), variables, channel);
    for (const line of [subject, ...text.split('\n')]) {
      expect(line).not.toMatch(/ (at|from|with|for|en|de|a|para|chez|à|pour|da|di|per)$/);
      expect(line).not.toMatch(/ - *$|^: | {2}/);
    }
  });
});

describe('message variables', () => {
  it('renders a booking in the Madrid time zone in each language', () => {
    const source = { text: '{{ booking.date }} | {{ booking.time }} | {{ booking.endTime }}' };
    const rendered = (language: Language) => renderTemplate(source, messageVariables(booking({ language })), 'sms').text;
    expect(rendered('es')).toBe('domingo, 29 de marzo de 2026 | 10:00 | 10:45');
    expect(rendered('fr')).toBe('dimanche 29 mars 2026 | 10:00 | 10:45');
    expect(rendered('it')).toBe('domenica 29 marzo 2026 | 10:00 | 10:45');
    expect(rendered('en')).toBe('Sunday, March 29, 2026 | 10:00 AM | 10:45 AM');
  });

  it('uses the location’s time zone over the business’s, across a DST change', () => {
    const newYork = messageVariables(booking({ language: 'en', location: { name: 'SoHo', timeZone: 'America/New_York' } }));
    expect(newYork.booking).toMatchObject({ date: 'Sunday, March 29, 2026', time: '4:00 AM' });
    expect(newYork.location).toEqual({ name: 'SoHo' });
    // Two days earlier Madrid was still on winter time: 08:00Z is 09:00 there.
    const beforeDst = messageVariables(booking({ record: { service: 'Corte', start: '2026-03-27T08:00:00Z', end: '2026-03-27T09:00:00Z' } }));
    expect(beforeDst.booking).toMatchObject({ date: 'viernes, 27 de marzo de 2026', time: '9:00' });
  });

  it('carries the old date and time of a reschedule', () => {
    const variables = messageVariables(booking({ messageType: 'booking_rescheduled', previous: { start: '2026-03-27T16:30:00Z' } }));
    expect(variables.booking).toMatchObject({ time: '10:00', previousDate: 'viernes, 27 de marzo de 2026', previousTime: '17:30' });
  });

  it('formats amounts in the currency’s minor unit and the client’s language, with plain spaces', () => {
    const invoice = (language: Language, currency: string, amountMinor: number) =>
      messageVariables({ ...booking({ language }), messageType: 'invoice_issued', record: { number: 'F-1', amountMinor, currency, issueDate: '2026-03-01', dueDate: '2026-03-31' } })
        .invoice as Record<string, string>;
    expect(invoice('es', 'EUR', 12050).amount).toBe('120,50 €');
    expect(invoice('en', 'USD', 12050).amount).toBe('$120.50');
    expect(invoice('fr', 'EUR', 123456).amount).toBe('1 234,56 €');
    expect(invoice('en', 'JPY', 12050).amount).toBe('¥12,050');
    expect(invoice('es', 'EUR', 12050).dueDate).toBe('31 de marzo de 2026');
  });

  it('formats calendar dates without shifting them into a time zone', () => {
    const estimate = messageVariables({
      ...booking({ language: 'en', business: { name: 'X', timeZone: 'Pacific/Kiritimati' } }),
      messageType: 'estimate_issued',
      record: { number: 'P-1', amountMinor: 100, currency: 'EUR', expiresOn: '2026-01-01' },
    });
    expect(estimate.estimate).toMatchObject({ expiresOn: 'January 1, 2026' });
  });

  it('gives only the message type’s entity, and nothing for values the record lacks', () => {
    const variables = messageVariables({ ...booking(), messageType: 'order_status_changed', record: { title: 'Tinte', status: 'Listo' }, previous: { status: 'Nuevo' } });
    expect(Object.keys(variables).sort()).toEqual(['business', 'client', 'order']);
    expect(variables.order).toEqual({ title: 'Tinte', status: 'Listo', previousStatus: 'Nuevo' });
    expect(variables.client).toEqual({ firstName: 'Ana', lastName: 'Moreno', fullName: 'Ana Moreno' });
  });

  it('lists the allowed variables per message type', () => {
    expect(allowedVariables('booking_rescheduled')).toEqual(expect.arrayContaining(['client.firstName', 'booking.date', 'booking.previousTime', 'location.name']));
    expect(allowedVariables('booking_confirmed')).not.toContain('booking.previousTime');
    expect(allowedVariables('invoice_issued')).not.toContain('location.name');
    expect(allowedVariables('lead_status_changed')).toContain('lead.previousStatus');
  });

  it('gives sample data in the language', () => {
    expect(sampleContext('booking_confirmed', 'it')).toMatchObject({ booking: { date: 'giovedì 16 aprile 2026', time: '10:00' }, client: { firstName: 'Chiara' } });
  });
});

describe('validateTemplate', () => {
  const validate = (source: { subject?: string; text: string }, channel: 'email' | 'sms' = 'sms', messageType: MessageType = 'booking_confirmed') =>
    validateTemplate(source, messageType, channel);

  it('reports a Liquid syntax error with the field, line and column', () => {
    expect(validate({ text: 'Hola {{ client.firstName ' })).toEqual([{ path: 'text', message: expect.stringMatching(/^Liquid syntax error at line 1, column 6: .*not closed/) }]);
    expect(validate({ subject: 'Hola', text: 'Hola\n\n{% if client.firstName %}x' }, 'email')).toEqual([
      { path: 'text', message: expect.stringMatching(/^Liquid syntax error at line 3, column 1: .*not closed/) },
    ]);
  });

  it('reports an unknown variable with where it is and what may be used', () => {
    const issues = validate({ subject: 'Factura {{ invoice.number }}', text: 'Hola {{ client.nombre }}' }, 'email');
    expect(issues).toEqual([
      { path: 'subject', message: expect.stringMatching(/^unknown variable \{\{ invoice\.number \}\} at line 1, column 12; this message can use .*booking\.date/) },
      { path: 'text', message: expect.stringContaining('unknown variable {{ client.nombre }} at line 1, column 9') },
    ]);
  });

  it('refuses a variable that is not allowed for the message type, groups and computed lookups', () => {
    expect(validate({ text: '{{ booking.previousDate }}' })[0]!.message).toContain('unknown variable {{ booking.previousDate }}');
    expect(validate({ text: '{{ booking.previousDate }}' }, 'sms', 'booking_rescheduled')).toEqual([]);
    expect(validate({ text: '{{ client }}' })[0]!.message).toContain('is a group');
    expect(validate({ text: '{{ client[booking.service] }}' }).map((issue) => issue.message)).toEqual([expect.stringContaining('computed name')]);
  });

  it('allows variables assigned in the template and loop variables', () => {
    expect(validate({ text: '{% assign name = client.firstName | upcase %}{{ name }}{% for i in (1..2) %}{{ forloop.index }}{% endfor %}' })).toEqual([]);
  });

  it('refuses unknown filters and tags that would load other templates', () => {
    expect(validate({ text: '{{ client.firstName | shout }}' })[0]!.message).toContain('undefined filter: shout');
    for (const tag of ['include', 'render', 'layout']) {
      expect(validate({ text: `{% ${tag} "secrets" %}` })[0]!.message).toContain(`tag "${tag}" not found`);
    }
  });

  it('needs a subject for email and refuses one for SMS', () => {
    expect(validate({ text: 'Hola' }, 'email')).toEqual([{ path: 'subject', message: 'an email needs a subject' }]);
    expect(validate({ subject: 'Hola', text: 'Hola' }, 'sms')).toEqual([{ path: 'subject', message: 'an SMS has no subject; remove it' }]);
    expect(validate({ subject: 'a\nb', text: 'Hola' }, 'email')).toEqual([{ path: 'subject', message: 'must be a single line' }]);
    expect(validate({ subject: ' ', text: '' }, 'email').map((issue) => issue.path)).toEqual(['subject', 'text']);
  });

  it('limits lengths per channel', () => {
    expect(validate({ text: 'x'.repeat(1530) })).toEqual([]);
    expect(validate({ text: 'x'.repeat(1531) })).toEqual([{ path: 'text', message: 'renders to an SMS of 11 segments; an SMS may have at most 10' }]);
    expect(validate({ text: 'x'.repeat(1601) })).toEqual([{ path: 'text', message: 'must be at most 1600 characters (it has 1601)' }]);
    expect(validate({ subject: 's', text: 'x'.repeat(10_000) }, 'email')).toEqual([]);
    expect(validate({ subject: 's', text: 'x'.repeat(10_001) }, 'email')[0]!.path).toBe('text');
    expect(validate({ subject: 's'.repeat(201), text: 'x' }, 'email')[0]).toEqual({ path: 'subject', message: 'must be at most 200 characters (it has 201)' });
  });

  it('refuses a loop that is short on the sample but long on a name as long as a real one can be', () => {
    const loop = '{% for i in (1..20) %}{{ client.firstName }}{% endfor %}';
    // On the sample's Emma it is 80 characters, one segment; on a 200-character name, 27.
    expect(renderTemplate({ text: loop }, sampleContext('booking_confirmed', 'en'), 'sms').text).toHaveLength(80);
    expect(validate({ text: loop })).toEqual([{ path: 'text', message: expect.stringMatching(/^renders to (an SMS of \d+ segments|more than \d+ characters)/) }]);
    expect(validate({ subject: `{% for i in (1..5) %}{{ client.fullName }}{% endfor %}`, text: 'x' }, 'email')).toEqual([
      { path: 'subject', message: expect.stringMatching(/^renders to (\d+|more than \d+) characters/) },
    ]);
    expect(validate({ subject: 's', text: `{% for i in (1..600) %}{{ client.fullName }}{% endfor %}` }, 'email')).toEqual([
      { path: 'text', message: expect.stringContaining('over the limit of 102400 bytes') },
    ]);
  });

  it('checks with every variable at its longest, but a free-form text at its sample', () => {
    for (const messageType of messageTypeNames) {
      const longest = longestContext(messageType) as Record<string, Record<string, string>>;
      for (const path of allowedVariables(messageType)) {
        const [group, name] = path.split('.') as [string, string];
        const value = longest[group]![name]!;
        if (group === 'message') expect(value).toBe((sampleContext(messageType, 'en') as Record<string, Record<string, string>>)[group]![name]);
        else expect(value, path).toMatch(/^x{12,}$/);
      }
    }
  });

  it('refuses a template that cannot be rendered within the limits', () => {
    const issues = validate({ text: '{% for i in (1..100000000) %}{{ client.firstName }}{% endfor %}' });
    expect(issues).toEqual([{ path: 'text', message: expect.stringMatching(/^cannot be rendered/) }]);
  });
});

describe('renderTemplate', () => {
  const variables = messageVariables(booking());

  it('renders Liquid with the variables; missing values render empty, never as Liquid', () => {
    const rendered = renderTemplate({ text: 'Hola {{ client.firstName }}, {{ booking.previousTime }}{{ location.name }}fin' }, variables, 'sms');
    expect(rendered).toEqual({ text: 'Hola Ana, fin' });
  });

  it('cannot reach prototypes or constructors', () => {
    const { text } = renderTemplate(
      { text: '[{{ client.constructor }}][{{ client.__proto__ }}][{{ client["constructor"] }}][{{ client.toString }}][{{ client.firstName.constructor }}][{{ client.hasOwnProperty }}]' },
      variables,
      'sms',
    );
    expect(text).toBe('[][][][][][]');
  });

  it('escapes HTML in the email’s html, keeps the text as is, and makes paragraphs and line breaks', () => {
    const hostile = messageVariables(booking({ client: { firstName: '<script>alert("x")</script>' } }));
    const rendered = renderTemplate({ subject: 'Hola {{ client.firstName }}\n', text: 'Hola {{ client.firstName }} & <b>co</b>\n\nLínea 1\nLínea 2' }, hostile, 'email', { language: 'es' });
    expect(rendered.text).toBe('Hola <script>alert("x")</script> & <b>co</b>\n\nLínea 1\nLínea 2');
    expect(rendered.subject).toBe('Hola <script>alert("x")</script>');
    expect(rendered.html).not.toContain('<script>');
    expect(rendered.html).not.toContain('<b>');
    expect(rendered.html).toContain('Hola &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;co&lt;/b&gt;</p>');
    expect(rendered.html).toContain('<p style="margin:0 0 16px 0;">Línea 1<br>\nLínea 2</p>');
    expect(rendered.html).toMatch(/^<!DOCTYPE html>\n<html lang="es">/);
    expect(rendered.html).toContain('<title>Hola &lt;script&gt;');
  });

  it('gives no html or subject for SMS', () => {
    expect(renderTemplate({ text: 'Hola' }, variables, 'sms')).toEqual({ text: 'Hola' });
  });

  it('throws RenderedTooLong for a message over its channel’s limit, however it got there', () => {
    const long = messageVariables(booking({ client: { firstName: 'A'.repeat(200) } }));
    const loop = { text: '{% for i in (1..300) %}{{ client.firstName }}{% endfor %}' };
    expect(() => renderTemplate(loop, long, 'sms')).toThrow(RenderedTooLong);
    expect(() => renderTemplate(loop, long, 'sms')).toThrow(/over the limit of 10 segments/);
    // 1,600 characters of GSM-7 are 11 segments; the same in UCS-2 (an accent outside GSM-7) 24.
    expect(() => renderTemplate({ text: 'x'.repeat(1600) }, variables, 'sms')).toThrow('renders to an SMS of 11 segments; an SMS may have at most 10');
    expect(() => renderTemplate({ text: 'á'.repeat(671) }, variables, 'sms')).toThrow('renders to an SMS of 11 segments');
    expect(renderTemplate({ text: 'á'.repeat(670) }, variables, 'sms').text).toHaveLength(670);
    expect(() => renderTemplate({ subject: 'Hola', text: '€'.repeat(40_000) }, variables, 'email')).toThrow('renders to 120000 bytes of text; an email may have at most 102400 (100 KB)');
    const subject = renderTemplate({ subject: '{% for i in (1..2) %}{{ client.firstName }}{% endfor %}', text: 'x' }, long, 'email').subject;
    expect(subject).toHaveLength(400);
    expect(() => renderTemplate({ subject: '{% for i in (1..5) %}{{ client.firstName }}{% endfor %}', text: 'x' }, long, 'email')).toThrow(
      expect.objectContaining({ name: 'RenderedTooLong', field: 'subject', message: 'renders to 1000 characters; a subject may have at most 998' }),
    );
  });

  it('throws a validation error naming the field when the template is broken', () => {
    expect(() => renderTemplate({ text: '{% if %}' }, variables, 'sms')).toThrow(expect.objectContaining({ code: 'validation_failed', details: { issues: [expect.objectContaining({ path: 'text' })] } }));
  });
});

describe('effectiveTemplate', () => {
  const override = { languages: { es: { text: 'Propio {{ client.firstName }}' } } };

  it('prefers the tenant override in the language, then custom text, then the default', () => {
    expect(effectiveTemplate({ messageType: 'booking_confirmed', channel: 'sms', language: 'es', override, customText: 'Custom' })).toEqual({ text: 'Propio {{ client.firstName }}' });
    expect(effectiveTemplate({ messageType: 'booking_confirmed', channel: 'sms', language: 'fr', override, customText: 'Custom' })).toEqual({ text: 'Custom' });
    expect(effectiveTemplate({ messageType: 'booking_confirmed', channel: 'sms', language: 'fr', override })).toEqual(defaultTemplate('booking_confirmed', 'sms', 'fr'));
  });

  it('keeps the default subject when custom text replaces an email’s text', () => {
    expect(effectiveTemplate({ messageType: 'invoice_issued', channel: 'email', language: 'it', customText: 'Testo' })).toEqual({
      subject: defaultTemplate('invoice_issued', 'email', 'it').subject,
      text: 'Testo',
    });
  });

  it('reads the override from a stored template record', () => {
    expect(templateOverrideOf({ id: 'booking_confirmed.sms', languages: override.languages })).toEqual(override);
    expect(templateOverrideOf(undefined)).toBeUndefined();
  });
});

describe('smsInfo', () => {
  it.each([
    ['an empty text', '', { encoding: 'GSM-7', characters: 0, segments: 0 }],
    ['160 GSM-7 characters in one segment', 'a'.repeat(160), { encoding: 'GSM-7', characters: 160, segments: 1 }],
    ['161 in two', 'a'.repeat(161), { encoding: 'GSM-7', characters: 161, segments: 2 }],
    ['306 in two (153 each)', 'a'.repeat(306), { encoding: 'GSM-7', characters: 306, segments: 2 }],
    ['307 in three', 'a'.repeat(307), { encoding: 'GSM-7', characters: 307, segments: 3 }],
    ['ñ, é, ¿ and ¡ staying GSM-7', '¿Mañana? ¡Si, café!', { encoding: 'GSM-7', characters: 19, segments: 1 }],
    ['€ counting twice', '€'.repeat(80), { encoding: 'GSM-7', characters: 160, segments: 1 }],
    ['€ counting twice past one segment', `${'€'.repeat(80)}a`, { encoding: 'GSM-7', characters: 161, segments: 2 }],
    ['a non-GSM accent switching to UCS-2', 'Tu cita está confirmada', { encoding: 'UCS-2', characters: 23, segments: 1 }],
    ['70 UCS-2 characters in one segment', '你'.repeat(70), { encoding: 'UCS-2', characters: 70, segments: 1 }],
    ['71 in two (67 each)', '你'.repeat(71), { encoding: 'UCS-2', characters: 71, segments: 2 }],
    ['an emoji counting as two', `Hola 😀`, { encoding: 'UCS-2', characters: 7, segments: 1 }],
  ] as const)('counts %s', (_name, text, expected) => {
    expect(smsInfo(text)).toEqual(expected);
  });
});
