import type { MessageTypeDeclaration } from '#domain/messages/types/declaration.ts';
import { atBusiness, en, es, fr, it } from '#domain/messages/types/phrases.ts';

/**
 * Re-engagement: some weeks after a client's last visit (a completed booking's end), an invitation
 * to book again, unless they have booked since. It is about the visit, so each visit sends it at
 * most once; a new booking disarms it (evaluate.ts, `booked_again`), and a later visit arms its own.
 * The send-time check (`unlessBookedAgain`) catches a disarm that failed.
 * What each field means: declaration.ts; the phrases the texts share: phrases.ts.
 */
export const reEngagementMessages = {
  re_engagement: {
    entity: 'booking',
    description: 'Some weeks after a visit, with nothing booked since: an invitation to book again',
    audience: 'client',
    marketing: true,
    page: 'reEngagement',
    mode: 'client',
    unlessBookedAgain: true,
    fires: { anchor: 'end', direction: 'after', holdsWhile: ['completed'] },
    texts: {
      en: en.toClient({
        subject: `It's been a while: we'd love to see you again${atBusiness('at')}`,
        body: `Your last visit was your {{ booking.service }} appointment on {{ booking.date }}, and we'd love to see you again.

Whenever it suits you, just reply to this email or get in touch to book your next appointment.`,
        closing: 'See you soon,',
        sms: "Hi {{ client.firstName }}, it's been a while since your last visit on {{ booking.shortDate }}. We'd love to see you again: get in touch to book!",
      }),
      es: es.toClient({
        subject: `Hace tiempo que no te vemos${atBusiness('en')}`,
        body: `Tu última visita fue tu cita de {{ booking.service }} del {{ booking.date }}, y nos encantaría volver a verte.

Cuando te venga bien, responde a este correo o ponte en contacto con nosotros para reservar tu próxima cita.`,
        closing: '¡Hasta pronto!',
        sms: 'Hola {{ client.firstName }}, hace tiempo que no te vemos desde tu visita del {{ booking.shortDate }}. ¡Contacta con nosotros para reservar!',
      }),
      fr: fr.toClient({
        subject: `Cela fait un moment : au plaisir de vous revoir${atBusiness('chez')}`,
        body: `Votre dernière visite remonte à votre rendez-vous du {{ booking.date }} ({{ booking.service }}), et nous serions ravis de vous revoir.

Quand vous le souhaitez, répondez simplement à cet e-mail ou contactez-nous pour prendre votre prochain rendez-vous.`,
        closing: 'À très bientôt,',
        sms: 'Bonjour {{ client.firstName }}, votre dernière visite date du {{ booking.shortDate }}. Nous serions ravis de vous revoir : contactez-nous pour réserver !',
      }),
      it: it.toClient({
        subject: `È passato un po’ di tempo: ci farebbe piacere rivederti${atBusiness('da')}`,
        body: `la tua ultima visita è stata il tuo appuntamento per {{ booking.service }} di {{ booking.date }}, e ci farebbe piacere rivederti.

Quando vuoi, rispondi a questa email o contattaci per prenotare il tuo prossimo appuntamento.`,
        closing: 'A presto,',
        sms: "Ciao {{ client.firstName }}, è passato un po' dalla tua ultima visita di {{ booking.shortDate }}. Ci farebbe piacere rivederti: contattaci per prenotare!",
      }),
    },
  },
} as const satisfies Record<string, MessageTypeDeclaration>;
