import type { DefaultMessageTexts } from '#domain/messages/types/declaration.ts';

/** What one language's default texts share. */
interface LanguagePhrases {
  readonly greeting: string;
  /** The booking's service, date, time and location (if it has one), a line each. */
  readonly bookingDetails: string;
  readonly changeOrCancel: string;
  readonly questions: string;
  /** Under a business message: which business it is for. */
  readonly businessFooter: string;
  /** Before a business SMS: the same. */
  readonly businessPrefix: string;
}

/** A client's letter without its greeting and closing, the closing (`Best regards,`) and the SMS before its signature. */
interface ClientTexts {
  readonly subject: string;
  readonly body: string;
  readonly closing: string;
  readonly sms: string;
}

/** A business message's subject, and its email and SMS without the business's name. */
interface BusinessTexts {
  readonly subject: string;
  readonly body: string;
  readonly sms: string;
}

const details = (service: string, date: string, time: string, location: string): string =>
  `${service} {{ booking.service }}\n${date} {{ booking.date }}\n${time} {{ booking.time }}{% if location.name %}\n${location} {{ location.name }}{% endif %}`;
/**
 * The business's name after its preposition (` at Salón Lucía`), left out together with it when the
 * business has no name: one that never saved its settings still gets sensible texts.
 */
export const atBusiness = (preposition: string): string => `{% if business.name %} ${preposition} {{ business.name }}{% endif %}`;
/** A phrase naming the business, or the words that say it without the name (see atBusiness). */
export const naming = (named: string, unnamed: string): string => `{% if business.name %}${named}{% else %}${unnamed}{% endif %}`;
const businessName = '{% if business.name %}\n{{ business.name }}{% endif %}';
const signed = (closing: string) => `${closing}${businessName}`;
const signedSms = (text: string) => `${text}{% if business.name %} - {{ business.name }}{% endif %}`;

/** A language's phrases, and the builders of its texts from them. */
function inLanguage(phrases: LanguagePhrases) {
  return {
    ...phrases,
    /** To the client: the email greets, says the body, closes and signs with the business's name; the SMS is signed with it. */
    toClient: ({ subject, body, closing, sms }: ClientTexts): DefaultMessageTexts => ({
      email: { subject, text: `${phrases.greeting}\n\n${body}\n\n${signed(closing)}` },
      sms: { text: signedSms(sms) },
    }),
    /**
     * To the owner: no greeting or signature, the business named up front or below so an owner of
     * several businesses can tell them apart.
     */
    toBusiness: ({ subject, body, sms }: BusinessTexts): DefaultMessageTexts => ({
      email: { subject, text: `${body}\n\n${phrases.businessFooter}` },
      sms: { text: `${phrases.businessPrefix}${sms}` },
    }),
    /** The business's own words as it wrote them, signed, under its subject or else this one. */
    asWritten: (subject: string): DefaultMessageTexts => ({
      email: { subject: `{% if message.subject %}{{ message.subject }}{% else %}${subject}{% endif %}`, text: `{{ message.text }}\n${businessName}` },
      sms: { text: signedSms('{{ message.text }}') },
    }),
  };
}

const phrases = {
  // SMS texts keep to the GSM-7 alphabet (straight apostrophes, a plain hyphen) so that one
  // segment holds 160 characters.
  en: inLanguage({
    greeting: 'Hi {{ client.firstName }},',
    bookingDetails: details('Service:', 'Date:', 'Time:', 'Location:'),
    changeOrCancel: 'If you need to change or cancel it, just let us know.',
    questions: 'If you have any questions, just let us know.',
    businessFooter: `Automatic reminder${atBusiness('for')}`,
    businessPrefix: '{% if business.name %}{{ business.name }}: {% endif %}',
  }),
  // Tuteo, como escribe un salón o una clínica a sus clientes. Los SMS evitan á, í, ó, ú (no están
  // en el alfabeto GSM-7, que admite ñ, é, ¡ y ¿) para que un segmento admita 160 caracteres.
  es: inLanguage({
    greeting: 'Hola, {{ client.firstName }}:',
    bookingDetails: details('Servicio:', 'Fecha:', 'Hora:', 'Lugar:'),
    changeOrCancel: 'Si necesitas cambiarla o cancelarla, no dudes en avisarnos.',
    questions: 'Si tienes cualquier duda, estamos a tu disposición.',
    businessFooter: `Aviso automático${atBusiness('para')}`,
    businessPrefix: '{% if business.name %}{{ business.name }}: {% endif %}',
  }),
  // Vouvoiement. Les SMS évitent ç, ê, â, ô, î, û, l'apostrophe typographique et les guillemets
  // (hors alphabet GSM-7, qui admet é, è, à et ù) pour qu'un segment contienne 160 caractères.
  fr: inLanguage({
    greeting: 'Bonjour {{ client.firstName }},',
    bookingDetails: details('Prestation :', 'Date :', 'Heure :', 'Lieu :'),
    changeOrCancel: "Pour le modifier ou l'annuler, n'hésitez pas à nous contacter.",
    questions: "Pour toute question, n'hésitez pas à nous contacter.",
    businessFooter: `Rappel automatique${atBusiness('pour')}`,
    businessPrefix: '{% if business.name %}{{ business.name }} : {% endif %}',
  }),
  // Del tu, con il tono cordiale di un salone o di uno studio. Gli SMS usano l'apostrofo dritto e
  // nessuna È maiuscola (fuori dall'alfabeto GSM-7, che ammette à, è, é, ì, ò e ù), così un
  // segmento contiene 160 caratteri.
  it: inLanguage({
    greeting: 'Ciao {{ client.firstName }},',
    bookingDetails: details('Servizio:', 'Data:', 'Ora:', 'Sede:'),
    changeOrCancel: 'Se hai bisogno di spostarlo o annullarlo, contattaci pure.',
    questions: 'Per qualsiasi domanda, siamo a tua disposizione.',
    businessFooter: `Promemoria automatico${atBusiness('per')}`,
    businessPrefix: '{% if business.name %}{{ business.name }}: {% endif %}',
  }),
};

export const { en, es, fr, it } = phrases;
