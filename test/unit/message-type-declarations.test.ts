import { describe, expect, it } from 'vitest';
import { languages } from '#domain/values.ts';
import { messageTypeDeclarations, messageTypeNames } from '#domain/messages/message-types.ts';
import { sampleContext } from '#domain/messages/message-variables.ts';
import { AutomatedMessagesInput, defaultAutomatedMessages } from '#domain/messages/rules.ts';
import type { MessageTypeDeclaration } from '#domain/messages/types/declaration.ts';
import { en, es, fr, it as italian } from '#domain/messages/types/phrases.ts';
import { messageTypesOutputs, settingsDocuments } from './fixtures/message-types-outputs.ts';
import before from './fixtures/message-types-outputs.json' with { type: 'json' };

const declarations = messageTypeNames.map((name): [string, MessageTypeDeclaration] => [name, messageTypeDeclarations[name]]);
const { version: _, ...defaults } = defaultAutomatedMessages;
const at = (document: unknown, path: string): unknown => path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], document);

describe('message type declarations', () => {
  it('give every message type texts in every language', () => {
    for (const [name, declaration] of declarations) expect(Object.keys(declaration.texts).sort(), name).toEqual([...languages].sort());
  });

  it.each(declarations.filter(([, declaration]) => declaration.page !== undefined))('%s: its settings page entry is in the page, as what sends it needs', (_name, declaration) => {
    const entry = at(defaults, declaration.page!) as Record<string, unknown> | readonly unknown[];
    expect(entry).toBeDefined();
    const { fires } = declaration;
    if (typeof fires === 'object' && 'on' in fires) expect(entry).toMatchObject({ sms: expect.any(Boolean) });
    if (typeof fires === 'object' && 'inbound' in fires) expect(entry).toMatchObject({ enabled: expect.any(Boolean) });
    if (typeof fires === 'object' && 'anchor' in fires && 'each' in declaration && declaration.each) {
      expect(Array.isArray(entry)).toBe(true);
      const element = AutomatedMessagesInput.parse({ ...defaults, [declaration.page!]: [{ [fires.direction]: { amount: 1, unit: 'days' } }] });
      expect(at(element, `${declaration.page}.0.${fires.direction}`)).toEqual({ amount: 1, unit: 'days' });
    } else if (typeof fires === 'object' && 'anchor' in fires) {
      expect(entry).toMatchObject({ [fires.direction]: { amount: expect.any(Number) } });
      // The mode it is sent in is one the page accepts.
      if ('mode' in declaration && declaration.mode) expect(AutomatedMessagesInput.safeParse({ ...defaults, [declaration.page!]: { ...entry, mode: declaration.mode } }).success).toBe(true);
    }
  });

  it('leave no entry of the settings page without a message type', () => {
    const isEntry = (value: unknown) => Array.isArray(value) || (typeof value === 'object' && value !== null && ['sms', 'enabled', 'mode'].some((key) => key in value));
    const entries = Object.entries(defaults).flatMap(([key, value]) => (isEntry(value) ? [key] : Object.keys(value as object).map((inner) => `${key}.${inner}`)));
    const declared = new Set(declarations.map(([, declaration]) => declaration.page));
    expect(entries.filter((entry) => !declared.has(entry as never))).toEqual([]);
  });

  it.each(declarations.filter(([, declaration]) => declaration.variables !== undefined))('%s: its own variables have values in its sample', (name, declaration) => {
    for (const path of Object.keys(declaration.variables!)) expect(at(sampleContext(name as never, 'en'), path), path).toMatch(/\S/);
  });

  it('fail the type check without texts in every language or with an entry the page does not have', () => {
    const texts = { en: en.asWritten('A'), es: es.asWritten('A'), fr: fr.asWritten('A'), it: italian.asWritten('A') };
    const declaration = { entity: 'booking', description: 'A test', audience: 'client', page: 'bookingStatus.pending', fires: { on: 'created' }, texts } satisfies MessageTypeDeclaration;
    // @ts-expect-error: no Italian texts
    const withoutItalian: MessageTypeDeclaration = { ...declaration, texts: { en: texts.en, es: texts.es, fr: texts.fr } };
    // @ts-expect-error: the page has no such entry
    const misspelt: MessageTypeDeclaration = { ...declaration, page: 'bookingStatus.pendng' };
    // @ts-expect-error: an auto-reply's entry is one of the page's auto-replies
    const misplaced: MessageTypeDeclaration = { entity: 'message', description: 'A test', audience: 'client', page: 'bookingStatus.pending', fires: { inbound: 'contact_form' }, texts };
    expect([withoutItalian, misspelt, misplaced]).toHaveLength(3);
  });
});

describe('what the message type declarations derive', () => {
  it('uses settings documents the page accepts', () => {
    for (const settings of Object.values(settingsDocuments)) expect(AutomatedMessagesInput.parse(settings)).toEqual(settings);
  });

  // A type added since has no entry in the fixture; every type it has gives the same as then.
  const now = JSON.parse(JSON.stringify(messageTypesOutputs())) as typeof before;
  const thenNamed = new Set(before.messageTypes.map(([name]) => name));
  const known = <Row extends readonly unknown[]>(rows: readonly Row[]) => rows.filter((row) => thenNamed.has(row[0] as string));

  it('gives the types, default texts and variables the tables gave before', () => {
    expect(known(now.messageTypes)).toEqual(before.messageTypes);
    expect(now.defaultTemplates.map(([language, texts]) => [language, known(texts as never[])])).toEqual(before.defaultTemplates);
    expect(known(now.variables)).toEqual(before.variables);
  });

  it('gives the system rules, timed rules, custom texts and auto-replies the tables gave before, for each settings document', () => {
    expect(now.bySettings).toEqual(before.bySettings);
  });
});
