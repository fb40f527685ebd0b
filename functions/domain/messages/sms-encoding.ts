import { SegmentedMessage } from 'sms-segments-calculator';

export interface SmsInfo {
  readonly encoding: 'GSM-7' | 'UCS-2';
  /**
   * Characters as the network counts them: in GSM-7 the extension characters (€ [ ] { } | ^ ~ \)
   * take two; in UCS-2 a character outside the Basic Multilingual Plane (most emoji) takes two.
   */
  readonly characters: number;
  readonly segments: number;
}

const bitsPerCharacter = { 'GSM-7': 7, 'UCS-2': 16 } as const;

/**
 * How an SMS text is encoded and how many segments it is billed as: GSM-7 fits 160 characters in
 * one segment and 153 per segment beyond; any character outside GSM-7 makes the whole message
 * UCS-2, with 70 and 67.
 */
export function smsInfo(text: string): SmsInfo {
  const message = new SegmentedMessage(text);
  const encoding = message.encodingName;
  return {
    encoding,
    characters: message.messageSize / bitsPerCharacter[encoding],
    segments: text === '' ? 0 : message.segmentsCount,
  };
}
