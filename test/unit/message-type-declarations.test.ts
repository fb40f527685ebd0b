import { describe, expect, it } from 'vitest';
import { AutomatedMessagesInput } from '#domain/messages/rules.ts';
import { messageTypesOutputs, settingsDocuments } from './fixtures/message-types-outputs.ts';
import before from './fixtures/message-types-outputs.json' with { type: 'json' };

describe('what the message type declarations derive', () => {
  it('uses settings documents the page accepts', () => {
    for (const settings of Object.values(settingsDocuments)) expect(AutomatedMessagesInput.parse(settings)).toEqual(settings);
  });

  it('is what the tables gave before: types, default texts, variables, system rules, timed rules, custom texts and auto-replies', () => {
    expect(JSON.parse(JSON.stringify(messageTypesOutputs()))).toEqual(before);
  });
});
