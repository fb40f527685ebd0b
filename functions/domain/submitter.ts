import * as z from 'zod';
import { Language, RecordId } from '#domain/values.ts';

/**
 * Who writes through a public widget, and the plain-text rules every public field follows: the
 * fields a stored document keeps of its submitter (record-kinds.ts) and every form of intake.ts.
 */

// ---------------------------------------------------------------------------------------------
// Plain text. Whatever these forms carry ends up in the business's app, emails and SMS, so text
// from the open internet must be text: anything a browser or mail client could read as markup or
// as a script link is refused rather than escaped, and the sender is told why.

/** `<` opening a tag, a closing tag, a comment or a declaration (`<b`, `</`, `<!--`, `<?`); `a <3 b` is fine. */
const markup = /<[A-Za-z/!?]/;
/** Browsers drop tabs and line breaks inside a URL scheme, so `java\nscript:` is read as the same. */
const scriptUrl = /(?:java|vb)script:/i;
/** Once decoded, a character reference can spell markup (`&#60;script&#62;`). */
const characterReference = /&(?:#x?[0-9a-f]+|[a-z][a-z0-9]*);/i;
const controlCharacter = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const lineBreakOrTab = /[\t\r\n]/;

export type TextLines = 'single' | 'multi';

/** Why a piece of public text is refused, or undefined when it is plain text. */
export function plainTextProblem(text: string, lines: TextLines): string | undefined {
  if (controlCharacter.test(text)) return 'must not contain control characters';
  if (lines === 'single' && lineBreakOrTab.test(text)) return 'must be a single line (no line breaks or tabs)';
  if (markup.test(text)) return 'must be plain text: markup such as <b> or <script> is not accepted';
  if (scriptUrl.test(text.replace(/[\t\r\n]/g, ''))) return 'must be plain text: script links such as javascript: are not accepted';
  if (characterReference.test(text)) return 'must be plain text: HTML character references such as &lt; or &#60; are not accepted';
  return undefined;
}

/** A string schema that also refuses anything but plain text (see `plainTextProblem`). */
export function plainText<T extends z.ZodString>(schema: T, lines: TextLines = 'single'): T {
  return schema.superRefine((text, context) => {
    const problem = plainTextProblem(text, lines);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  });
}

/** One line of public text (a name, a service), 1 to `max` characters. */
export const PublicLine = (max: number) => plainText(z.string().trim().min(1, 'must not be empty').max(max));
/** Public text that may span lines (a message, notes), 1 to `max` characters. */
export const PublicText = (max: number) => plainText(z.string().trim().min(1, 'must not be empty').max(max), 'multi');

const PublicPhone = z
  .string()
  .trim()
  .min(3)
  .max(40)
  .regex(/^\+?[0-9 ().-]+$/, 'must be a phone number: digits, spaces and + ( ) - . only');

/** A custom field value as a form sends it; an anonymous form never clears a value, so no null. */
const PublicFieldValue = z.union([PublicText(2000), z.number(), z.boolean()]);

/** Who is writing: every form carries these. Strict, so an unknown field is refused. */
export const SubmitterFields = z.strictObject({
  firstName: PublicLine(200),
  lastName: PublicLine(200).optional(),
  email: z.email().max(254).toLowerCase().optional(),
  phone: PublicPhone.optional().meta({ description: 'Any common notation; without a country code it is read as the business’s country' }),
  language: Language.optional().meta({ description: 'The language the person wants replies in' }),
  smsConsent: z.boolean().optional().meta({ description: 'The person agrees to receive SMS from the business' }),
  customFields: z
    .record(RecordId, PublicFieldValue)
    .optional()
    .meta({ description: 'Values of the business’s client fields that this form collects, by client field id' }),
});
export type Submitter = z.infer<typeof SubmitterFields>;

/** A form the business can answer: it must say where to (an email, or a phone for SMS). */
export function answerable<T extends typeof SubmitterFields>(form: T) {
  return form.refine((fields: { email?: string | undefined; phone?: string | undefined }) => fields.email !== undefined || fields.phone !== undefined, {
    message: 'send an email or a phone number, so the business can answer',
    path: ['email'],
  });
}
