import type { HeldMessage, SendEvidence } from '#domain/messages/ports.ts';

/** The header local mode names each email's message with (`<tenant>/<message id>`). */
export const localMessageIdHeader = 'X-Client-Messages-Id';

interface StoredEmail {
  readonly messageId: string;
  readonly headers?: ReadonlyArray<{ readonly name: string; readonly value: string }>;
}

/**
 * Evidence from aws-ses-v2-local's store (`GET /store`, kept across restarts by `npm start`): an
 * email is taken once the store holds it with the message's header.
 */
export function sesStoreEvidence(endpoint: string): (message: HeldMessage) => Promise<SendEvidence> {
  return async (message) => {
    const response = await fetch(`${endpoint}/store`);
    if (!response.ok) throw new Error(`GET ${endpoint}/store answered ${response.status}`);
    const { emails } = (await response.json()) as { emails: StoredEmail[] };
    const name = `${message.tenantId}/${message.id}`;
    const sent = emails.find((email) => email.headers?.some((header) => header.name === localMessageIdHeader && header.value === name));
    return sent ? { accepted: true, providerMessageId: sent.messageId } : { accepted: false };
  };
}
