import fc from 'fast-check';
import { SegmentedMessage } from 'sms-segments-calculator';
import { describe, expect, it } from 'vitest';
import { smsInfo } from '#domain/messages/sms-encoding.ts';

/** What Twilio's calculator says, in our shape: the reference our linear count must agree with. */
function reference(text: string) {
  const message = new SegmentedMessage(text);
  return {
    encoding: message.encodingName,
    characters: message.messageSize / (message.encodingName === 'GSM-7' ? 7 : 16),
    segments: text === '' ? 0 : message.segmentsCount,
  };
}

// Pieces that exercise every rule: plain GSM-7, the extension table (two septets), CR LF, a BMP
// letter outside GSM-7, astral emoji (two UTF-16 units), graphemes of several code points (a ZWJ
// family, a flag, a skin tone, a combining accent). Both graphemes splitters agree on these.
const pieces = ['a', 'Z', ' ', '0', '@', 'é', 'Ñ', 'Δ', '\n', '\r\n', '€', '{', '\\', '~', '\f', 'á', 'ç', 'ł', 'Ж', '中', '😀', '👍🏽', '🇪🇸', '👨‍👩‍👧', 'e\u0301'];
const gsmPieces = pieces.filter((piece) => /^[a-zA-Z0-9 @éÑΔ\n\r€{\\~\f]+$/.test(piece));

const textOf = (alphabet: string[], maxLength: number) => fc.array(fc.constantFrom(...alphabet), { maxLength }).map((parts) => parts.join(''));

describe('smsInfo', () => {
  it('agrees with sms-segments-calculator on GSM-7 texts around the segment boundaries', () => {
    fc.assert(fc.property(textOf(gsmPieces, 500), (text) => {
      expect(smsInfo(text)).toEqual(reference(text));
    }), { numRuns: 300, seed: 10 });
  });

  it('agrees with sms-segments-calculator on mixed texts (UCS-2 with emoji and combined graphemes)', () => {
    fc.assert(fc.property(textOf(pieces, 250), (text) => {
      expect(smsInfo(text)).toEqual(reference(text));
    }), { numRuns: 300, seed: 11 });
  });

  it('agrees on arbitrary short strings, lone surrogates included', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
      expect(smsInfo(text)).toEqual(reference(text));
    }), { numRuns: 300, seed: 12 });
  });

  it.each([
    ['', { encoding: 'GSM-7', characters: 0, segments: 0 }],
    ['a'.repeat(160), { encoding: 'GSM-7', characters: 160, segments: 1 }],
    ['a'.repeat(161), { encoding: 'GSM-7', characters: 161, segments: 2 }],
    ['a'.repeat(306), { encoding: 'GSM-7', characters: 306, segments: 2 }],
    ['a'.repeat(307), { encoding: 'GSM-7', characters: 307, segments: 3 }],
    // An extension character is not split: 152 septets and a € make 154, so the € starts the next segment.
    [`${'a'.repeat(152)}€`, { encoding: 'GSM-7', characters: 154, segments: 1 }],
    [`${'a'.repeat(159)}€`, { encoding: 'GSM-7', characters: 161, segments: 2 }],
    ['á'.repeat(70), { encoding: 'UCS-2', characters: 70, segments: 1 }],
    ['á'.repeat(71), { encoding: 'UCS-2', characters: 71, segments: 2 }],
    [`${'á'.repeat(66)}😀`, { encoding: 'UCS-2', characters: 68, segments: 1 }],
  ] as const)('counts %j', (text, expected) => {
    expect(smsInfo(text)).toEqual(expected);
    expect(reference(text)).toEqual(expected);
  });
});
