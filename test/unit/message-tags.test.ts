import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { emailTagsFor, messageOfTags } from '#adapters/ses/message-tags.ts';

/** An SES event's `mail.tags`: each tag's values as a list, beside the tags SES adds itself. */
const asEventTags = (tags: ReturnType<typeof emailTagsFor>): Record<string, string[]> => ({
  'ses:configuration-set': ['messages'],
  'ses:from-domain': ['example.com'],
  ...Object.fromEntries(tags.map((tag) => [tag.Name!, [tag.Value!]])),
});
const SES_TAG_VALUE = /^[A-Za-z0-9_-]{1,256}$/;
const tenantIds = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);

describe('SES message tags', () => {
  const messageId = 'booking.01JD3M5X0Q7W8E9R2T4Y6U8I0O.v3.system.booking_cancelled.email';

  it('name the tenant, the message and its type, each a value SES accepts', () => {
    const tags = emailTagsFor({ tenantId: 'salon-lucia', messageId, messageType: 'booking_cancelled' });
    expect(tags.map((tag) => tag.Name).sort()).toEqual(['message', 'tenant', 'type']);
    expect(tags).toContainEqual({ Name: 'tenant', Value: 'salon-lucia' });
    expect(tags).toContainEqual({ Name: 'type', Value: 'booking_cancelled' });
    for (const tag of tags) expect(tag.Value).toMatch(SES_TAG_VALUE);
  });

  it('give back the tenant and the exact message id, dots and all', () => {
    const tags = emailTagsFor({ tenantId: 'salon-lucia', messageId, messageType: 'booking_cancelled' });
    expect(messageOfTags(asEventTags(tags))).toEqual({ tenantId: 'salon-lucia', messageId });
  });

  it('round-trip any tenant id and any message id that fits a tag', () => {
    fc.assert(
      fc.property(tenantIds, fc.string({ unit: 'binary', minLength: 1, maxLength: 48 }), (tenantId, id) => {
        const tags = emailTagsFor({ tenantId, messageId: id, messageType: 'client_message' });
        for (const tag of tags) expect(tag.Value).toMatch(SES_TAG_VALUE);
        expect(messageOfTags(asEventTags(tags))).toEqual({ tenantId, messageId: id });
      }),
    );
  });

  it('leave out the message tag of an id longer than a tag value holds, and refuse a tenant id SES cannot carry', () => {
    expect(emailTagsFor({ tenantId: 'acme', messageId: 'm'.repeat(192), messageType: 'client_message' }).map((tag) => tag.Name)).toContain('message');
    expect(emailTagsFor({ tenantId: 'acme', messageId: 'm'.repeat(193), messageType: 'client_message' }).map((tag) => tag.Name)).toEqual(['tenant', 'type']);
    expect(() => emailTagsFor({ tenantId: 'acme corp', messageId, messageType: 'client_message' })).toThrow(/tenant id/);
  });

  it('find no message in tags that are not ours', () => {
    const encoded = Buffer.from(messageId).toString('base64url');
    const notOurs: (Record<string, string[]> | undefined)[] = [
      undefined,
      {},
      { 'ses:configuration-set': ['other'] },
      { tenant: ['acme'] },
      { message: [encoded] },
      { tenant: ['acme'], message: [] },
      { tenant: ['acme', 'other'], message: [encoded] },
      { tenant: ['acme'], message: [`${encoded}=`] },
      { tenant: ['acme'], message: ['not*base64'] },
      { tenant: ['a b'], message: [encoded] },
      // Not the canonical encoding of any UTF-8 text.
      { tenant: ['acme'], message: ['_w'] },
    ];
    for (const tags of notOurs) {
      expect(messageOfTags(tags), JSON.stringify(tags)).toBeUndefined();
    }
  });

  it('decode only what they encode: a message found in any tags encodes back to the same tag', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('tenant', 'message', 'type', 'other'), fc.array(fc.string(), { maxLength: 2 })), (tags) => {
        const found = messageOfTags(tags);
        if (found) expect(emailTagsFor({ ...found, messageType: 'x' })).toContainEqual({ Name: 'message', Value: tags.message![0] });
      }),
    );
  });
});
