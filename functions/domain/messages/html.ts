/** Text made safe inside HTML: for the HTML part of emails and the pages the system serves (unsubscribe). */
const htmlEscapes: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (char) => htmlEscapes[char]!);
