import type { MessageTypeDeclaration } from '#domain/messages/types/declaration.ts';
import { atBusiness, en, es, fr, it } from '#domain/messages/types/phrases.ts';

/**
 * The messages the business sends from the client card; its payment reminder is invoice_overdue (invoice.ts).
 * What each field means: declaration.ts; the phrases the texts share: phrases.ts.
 */
export const clientCardMessages = {
  booking_invitation: {
    entity: 'client',
    description: 'Invites the client to book again (sent from the client card)',
    audience: 'client',
    marketing: true,
    fires: 'client card',
    texts: {
      en: en.toClient({
        subject: `We'd love to see you again${atBusiness('at')}`,
        body: `It's been a while since your last visit, and we'd love to see you again. Just reply to this email or get in touch to book your next appointment.`,
        closing: 'See you soon,',
        sms: "Hi {{ client.firstName }}, we'd love to see you again! Get in touch to book your next appointment.",
      }),
      es: es.toClient({
        subject: `Nos encantaría volver a verte${atBusiness('en')}`,
        body: `Ha pasado un tiempo desde tu última visita y nos encantaría volver a verte. Responde a este correo o ponte en contacto con nosotros para reservar tu próxima cita.`,
        closing: '¡Hasta pronto!',
        sms: 'Hola {{ client.firstName }}, ¡queremos volver a verte! Contacta con nosotros para reservar tu siguiente cita.',
      }),
      fr: fr.toClient({
        subject: `Au plaisir de vous revoir${atBusiness('chez')}`,
        body: `Cela fait un moment depuis votre dernière visite et nous serions ravis de vous revoir. Répondez simplement à cet e-mail ou contactez-nous pour prendre votre prochain rendez-vous.`,
        closing: 'À très bientôt,',
        sms: 'Bonjour {{ client.firstName }}, nous serions ravis de vous revoir ! Contactez-nous pour prendre votre prochain rendez-vous.',
      }),
      it: it.toClient({
        subject: `Ci farebbe piacere rivederti${atBusiness('da')}`,
        body: `è passato un po' di tempo dalla tua ultima visita e ci farebbe piacere rivederti. Rispondi a questa email o contattaci per prenotare il tuo prossimo appuntamento.`,
        closing: 'A presto,',
        sms: 'Ciao {{ client.firstName }}, ci farebbe piacere rivederti! Contattaci per prenotare il tuo prossimo appuntamento.',
      }),
    },
  },
  free_form: {
    entity: 'client',
    description: 'A message the business writes to the client from the client card',
    audience: 'client',
    fires: 'client card',
    variables: {
      'message.text': 'The text the business wrote',
      'message.subject': 'The subject the business wrote (email; may be empty)',
    },
    texts: {
      en: en.asWritten(`A message${atBusiness('from')}`),
      es: es.asWritten(`Un mensaje${atBusiness('de')}`),
      fr: fr.asWritten(`Un message${atBusiness('de')}`),
      it: it.asWritten(`Un messaggio${atBusiness('da')}`),
    },
  },
} as const satisfies Record<string, MessageTypeDeclaration>;
